package io.queuack.event;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * A job changed status: the change has been stored (committed) before the event is delivered.
 *
 * @param jobId   the job
 * @param queue   its queue
 * @param task    its task
 * @param from    the status before
 * @param to      the status now
 * @param attempt its attempt number at the change
 * @param at      when the change happened
 * @param error   the error for FAILED, DEAD, ORPHANED and lost-worker changes, otherwise null
 * @param since   when the job entered the status it leaves, where this process knows it: for a claim
 *                ({@code to} RUNNING) when the job became due (its enqueue time unless it was delayed or backed
 *                off), for an outcome this process stored ({@code from} RUNNING) when the attempt started;
 *                otherwise null
 */
public record JobEvent(long jobId, String queue, String task, JobStatus from, JobStatus to, int attempt,
                       Instant at, JobError error, Instant since) {

    /** @return how long the job stayed in {@link #from}, or null when {@link #since} is not known */
    public Duration stayed() {
        return since == null ? null : Duration.between(since, at);
    }
}
