package io.queuack.storage;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of one attempt, written by a worker pool. Storage applies it only while the job is
 * still RUNNING, held by the same owner, at the same attempt (a fence against late or duplicate
 * acknowledgements).
 *
 * @param jobId      the job
 * @param attempt    the attempt this outcome belongs to
 * @param status     SUCCEEDED, FAILED (runs again at {@code runAt}), DEAD, SKIPPED (a DAG task whose condition
 *                   was false; {@code error} says why), or PENDING
 * @param released   true when the attempt never ran to an end (pool shut down, claimed but not started):
 *                   the attempt is given back and the job returns to the status it had before the claim
 *                   (PENDING without earlier attempts, else FAILED); times and error stay as they were
 * @param startedAt  when the attempt started, or null if it never started
 * @param finishedAt when it ended
 * @param resultJson the result for SUCCEEDED, else null
 * @param error      the error for FAILED and DEAD, else null
 * @param runAt      the next start for FAILED, else null
 * @param cacheKey   for a SUCCEEDED DAG task whose result may be reused by later runs: its task and inputs
 * @param reused     true when the result was reused from an earlier run instead of computed (the job's
 *                   message then says so)
 */
public record Completion(long jobId, int attempt, JobStatus status, boolean released, Instant startedAt,
                         Instant finishedAt, String resultJson, JobError error, Instant runAt, String cacheKey,
                         boolean reused) {

    /** The message stored with a job whose result was reused. */
    public static final String REUSED_MESSAGE = "reused the result of an earlier run";

    private static final Set<JobStatus> OUTCOMES =
            EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DEAD, JobStatus.SKIPPED, JobStatus.PENDING);

    public Completion {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (!OUTCOMES.contains(status)) {
            throw new IllegalArgumentException("A completion ends in one of " + OUTCOMES + ", not " + status);
        }
        if (status == JobStatus.FAILED && runAt == null) {
            throw new IllegalArgumentException("A FAILED completion needs the next run time");
        }
        if (status == JobStatus.PENDING && !released) {
            throw new IllegalArgumentException("Only a released attempt returns a job to PENDING");
        }
    }

    public static Completion succeeded(long jobId, int attempt, Instant startedAt, Instant finishedAt, String resultJson) {
        return new Completion(jobId, attempt, JobStatus.SUCCEEDED, false, startedAt, finishedAt, resultJson, null, null,
                null, false);
    }

    /** @return this success, remembered under {@code key} so that later runs can reuse its result */
    public Completion withCacheKey(String key) {
        return new Completion(jobId, attempt, status, released, startedAt, finishedAt, resultJson, error, runAt, key,
                reused);
    }

    /** @return this success, marked as a result reused from an earlier run */
    public Completion asReused() {
        return new Completion(jobId, attempt, status, released, startedAt, finishedAt, resultJson, error, runAt, cacheKey,
                true);
    }

    public static Completion failed(long jobId, int attempt, Instant startedAt, Instant finishedAt, JobError error,
                                    Instant retryAt) {
        return new Completion(jobId, attempt, JobStatus.FAILED, false, startedAt, finishedAt, null, error, retryAt, null,
                false);
    }

    public static Completion dead(long jobId, int attempt, Instant startedAt, Instant finishedAt, JobError error) {
        return new Completion(jobId, attempt, JobStatus.DEAD, false, startedAt, finishedAt, null, error, null, null,
                false);
    }

    /** A DAG task decided not to run (its condition was false); {@code reason} says why. */
    public static Completion skipped(long jobId, int attempt, Instant startedAt, Instant finishedAt, JobError reason) {
        return new Completion(jobId, attempt, JobStatus.SKIPPED, false, startedAt, finishedAt, null, reason, null, null,
                false);
    }

    /** An attempt handed back unfinished; the job becomes due again at {@code at}. */
    public static Completion released(long jobId, int attempt, Instant at) {
        JobStatus before = attempt > 1 ? JobStatus.FAILED : JobStatus.PENDING;
        return new Completion(jobId, attempt, before, true, null, at, null, null, before == JobStatus.FAILED ? at : null,
                null, false);
    }
}
