package io.queuack;

import io.queuack.storage.Completion;

/**
 * What an {@link Execution} tells the pool that claimed its job; the pool's dispatcher implements it, so
 * an execution calls down through this instead of back up into the dispatcher. Called from worker threads.
 */
interface AttemptHost {

    /** The job's task code starts now: its start is stored soon (before it runs, if the claim asked so). */
    void started(Execution execution);

    /** @return what cancels the attempt's timeout; the timeout times the execution out when it passes */
    Runnable scheduleTimeout(Execution execution);

    /** An async task started waiting on its future: it holds no worker thread meanwhile. */
    void asyncStarted();

    /** An async task's future completed. */
    void asyncEnded();

    /** The worker thread running this execution cannot be trusted any more: start another. */
    void replaceWorker();

    /** The attempt ended: {@code completion} is to be stored. */
    void finished(Execution execution, Completion completion);

    /** The run's concurrency gate held the execution back: hand it to a worker again later. */
    void requeue(Execution execution);
}
