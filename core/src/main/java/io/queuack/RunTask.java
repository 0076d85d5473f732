package io.queuack;

import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The state of one task in a DAG run.
 *
 * @param name        the task's name in its DAG
 * @param jobId       the job that runs it
 * @param status      its status
 * @param attempts    attempts made
 * @param maxAttempts attempts allowed
 * @param queuedAt    when it became due (its upstream tasks had finished), or null while BLOCKED
 * @param startedAt   when its last attempt started, or null
 * @param finishedAt  when it finished, or null
 * @param progress    its last reported progress, 0 to 1
 * @param message     its last progress message (or a note such as a reused result), or null
 * @param error       its last error, or why it was skipped, or null
 * @param resultJson  its result as JSON, or null
 * @param elementJson for a task of a fan-out (named by its index), the element it ran on as JSON; otherwise null
 * @param reused      whether its result was reused from an earlier run instead of computed
 * @param worker      the worker process ({@code host:pid}) that ran its latest attempt, or null if it never ran
 */
public record RunTask(String name, long jobId, JobStatus status, int attempts, int maxAttempts, Instant queuedAt,
                      Instant startedAt, Instant finishedAt, double progress, String message, JobError error,
                      String resultJson, String elementJson, boolean reused, String worker) {

    static RunTask of(Job job) {
        return new RunTask(job.node(), job.id(), job.status(), job.attempts(), job.maxAttempts(),
                job.status() == JobStatus.BLOCKED ? null : job.runAt(), job.startedAt(), job.finishedAt(),
                job.progress(), job.message(), job.error(), job.resultJson(), job.argumentsJson(), job.reused(),
                job.workerProcess());
    }

    /** @return how long its last attempt ran, or null */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
