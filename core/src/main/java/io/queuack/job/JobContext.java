package io.queuack.job;

import io.queuack.QueuackBuilder;
import io.queuack.error.JobCancelledException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running task can see and do: its job's identity and attempt number, progress reporting,
 * and cancellation. Passed to every task; also reachable from helper code on the task's thread
 * through {@link #current()}.
 *
 * <p>Cancellation and timeouts are cooperative and forceful at once: the flag returned by
 * {@link #isCancelled()} is set and the task's thread is interrupted. Long loops should check the
 * flag (or call {@link #throwIfCancelled()}) now and then.
 */
public interface JobContext {

    /** @return the job's id */
    long jobId();

    /** @return the named queue the job is on */
    String queue();

    /** @return the task name */
    String task();

    /** @return this attempt's number, 1 for the first run */
    int attempt();

    /** @return how many attempts the job may have */
    int maxAttempts();

    /**
     * Reports progress. Listeners (progress bars, notebook displays) get it at once; it is stored
     * with the job about once a second.
     *
     * @param fraction 0 to 1
     */
    void progress(double fraction);

    /**
     * Reports progress with a short message.
     *
     * @param fraction 0 to 1
     * @param message  what the task is doing, e.g. {@code "page 3 of 10"}
     */
    void progress(double fraction, String message);

    /** @return true once the job was cancelled, timed out, or its worker pool is shutting down */
    boolean isCancelled();

    /** @throws JobCancelledException if {@link #isCancelled()} */
    void throwIfCancelled();

    /**
     * @return the queue's folder for files tasks write (created on first call); see
     *         {@link QueuackBuilder#dataDirectory(Path)}
     */
    Path dataDirectory();

    /** @return a logger named after the task, {@code queuack.task.<name>} */
    System.Logger logger();

    /** @return the context of the job running on the current thread, if any */
    static Optional<JobContext> current() {
        return Optional.ofNullable(CurrentJob.get());
    }
}
