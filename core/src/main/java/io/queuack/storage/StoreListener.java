package io.queuack.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Hears what other processes change in a store they share (PostgreSQL), so that this process's pools wake
 * at once for jobs enqueued elsewhere and its events, awaited runs and live pictures follow work done on other
 * hosts. Registered with {@link Storage#listen}; calls come from the store's listening thread and must return
 * quickly.
 */
public interface StoreListener {

    /** Jobs became due (enqueued, unblocked, retried) on these queues, each at its earliest run-at time. */
    void jobsDue(Map<String, Instant> queues);

    /** Another process changed statuses (outcomes, claims, settlements, recoveries, cancels) and stored progress. */
    void changed(Changes changes, List<StoredProgress> progress);

    /** Another process paused or resumed a queue. */
    void pausesChanged();

    /**
     * @return whether this session wants the job-level changes of other processes (status changes of every job,
     *         progress) besides wake-ups, run changes and pauses: while it does, they send them, which costs each
     *         of them a little per job. Asked about once a second.
     */
    boolean wantsJobEvents();

    /** The feed was interrupted (its connection was lost) and changes may have been missed: look again. */
    void missedChanges();

    /**
     * Progress another process stored for a running job.
     *
     * @param jobId    the job
     * @param queue    its queue
     * @param task     its task
     * @param progress 0 to 1
     * @param message  its message, or null
     */
    record StoredProgress(long jobId, String queue, String task, double progress, String message) {
    }
}
