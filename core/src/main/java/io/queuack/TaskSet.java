package io.queuack;

/**
 * Named tasks and DAGs that a worker process registers, so that it can run the jobs other processes enqueue
 * by name. The worker command ({@code queuack-worker}) finds every implementation on its class path through
 * {@code META-INF/services/io.queuack.TaskSet}, or takes them by class name ({@code --tasks}); an application
 * can call {@link #register} itself. Implementations have a public no-argument constructor.
 *
 * <pre>{@code
 * public final class ImageTasks implements TaskSet {
 *     public void register(Queuack queue) {
 *         queue.register("resize", Resize.class, (ctx, job) -> Images.resize(job));
 *         queue.register(Pipelines.nightly());
 *     }
 * }
 * }</pre>
 */
public interface TaskSet {

    /** Registers the set's tasks and DAGs with {@code queue}. */
    void register(Queuack queue);
}
