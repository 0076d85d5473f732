package io.queuack.storage;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;

/**
 * A status change storage made on its own initiative (lease recovery, expiry, orphaning), reported
 * so that events can be sent.
 *
 * @param jobId   the job
 * @param queue   its queue
 * @param task    its task
 * @param from    status before
 * @param to      status after
 * @param attempt attempt number
 * @param error   the error stored with the change, or null; for an attempt given back because its worker was lost
 *                (it never started), why, though nothing is stored
 */
public record JobTransition(long jobId, String queue, String task, JobStatus from, JobStatus to, int attempt,
                            JobError error) {
}
