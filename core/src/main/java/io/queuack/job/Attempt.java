package io.queuack.job;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt of a job: those that failed are kept with their error; the latest one is read from the job.
 *
 * @param number     its number (1 for the first; a job retried by hand counts again from 1)
 * @param worker     the worker pool that ran it ({@code host:pid:pool-n:random}), or null
 * @param startedAt  when it started, or null if that was not stored
 * @param finishedAt when it ended, or null while it runs
 * @param status     how it ended: FAILED (retried later), DEAD, SUCCEEDED, or RUNNING while it runs
 * @param error      its error, or null
 */
public record Attempt(int number, String worker, Instant startedAt, Instant finishedAt, JobStatus status,
                      JobError error) {

    /** @return how long it ran, or null while it runs or when its start is not known */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
