package io.queuack.event;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
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
 */
public record JobEvent(long jobId, String queue, String task, JobStatus from, JobStatus to, int attempt,
                       Instant at, JobError error) {
}
