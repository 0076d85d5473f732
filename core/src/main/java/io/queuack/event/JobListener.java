package io.queuack.event;

/**
 * Receives every event of one queue database: enqueues, job status changes, progress and DAG run
 * status changes. Terminal
 * progress bars, notebook displays and metrics hang off this interface.
 *
 * <p>Contract: events are delivered on one background thread per queue ({@code queuack-events}),
 * in the order they happened, after the change was stored. A listener must return quickly; an
 * exception it throws is logged and does not affect jobs or other listeners. Every method has a
 * no-op default, so implement only what you need.
 */
public interface JobListener {

    /** Jobs were enqueued. */
    default void onEnqueued(EnqueuedEvent event) {
    }

    /** A job changed status. */
    default void onStatusChanged(JobEvent event) {
    }

    /** A running job reported progress. */
    default void onProgress(ProgressEvent event) {
    }

    /** A DAG run changed status (it finished, was cancelled, or runs again after a retry). */
    default void onRunStatusChanged(RunEvent event) {
    }
}
