package io.queuack.event;

/**
 * Receives every event of one queue database: enqueues, job status changes, progress, DAG run
 * status changes and this process's storage round trips. Terminal progress bars, notebook displays, metrics and
 * the dashboard hang off this interface.
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

    /** A DAG run changed status (it started, finished, was cancelled, or runs again after a retry). */
    default void onRunStatusChanged(RunEvent event) {
    }

    /** This process made a round trip to storage (a worker pool's claims and outcomes, or an enqueue). */
    default void onRoundTrip(RoundTripEvent event) {
    }

    /**
     * @return whether this listener also hears what other processes change in a shared store (PostgreSQL), as
     *         if it had happened here; true by default. A listener that counts this process's own work, such as
     *         metrics, returns false: it is told only of changes this process made, and while no listener wants
     *         them the store sends no job-level notifications at all. Read once per event.
     */
    default boolean wantsRemoteEvents() {
        return true;
    }
}
