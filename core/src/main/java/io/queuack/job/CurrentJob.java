package io.queuack.job;

/**
 * Which job the calling thread runs, as {@link JobContext#current()} reads it. Worker pools bind each
 * job's context for the length of its attempt; code that tests a task outside a pool may bind its own.
 *
 * <pre>{@code
 * try (CurrentJob.Binding ignored = CurrentJob.bind(context)) {
 *     task.run(context, argument);
 * }
 * }</pre>
 */
public final class CurrentJob {

    private static final ThreadLocal<JobContext> CURRENT = new ThreadLocal<>();

    private CurrentJob() {
    }

    /**
     * Makes {@code context} the calling thread's current job until the binding is closed, which restores
     * the one bound before (none, on a worker thread).
     *
     * @return the binding to close when the job's code returns
     */
    public static Binding bind(JobContext context) {
        java.util.Objects.requireNonNull(context, "context");
        JobContext before = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        };
    }

    static JobContext get() {
        return CURRENT.get();
    }

    /** A bound job context; closing it unbinds it. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
