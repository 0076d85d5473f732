package io.queuack.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life cycle of a job. The allowed changes are listed here, in one place; every storage backend
 * guards each change by the job's current status, so a late or duplicate acknowledgement can never
 * move a job out of a terminal state.
 *
 * <pre>
 *   PENDING ──claim──▶ RUNNING ──▶ SUCCEEDED
 *      ▲                 │  ├────▶ FAILED ──(run_at reached)──▶ RUNNING   (attempts left: retry after backoff)
 *      │                 │  └────▶ DEAD                                   (attempts exhausted)
 *      └──release────────┘
 *   PENDING / FAILED / RUNNING ──▶ CANCELLED ;  PENDING / FAILED ──▶ EXPIRED (time-to-live passed)
 *   DEAD / CANCELLED / EXPIRED ──retry──▶ PENDING   (a DAG task with upstream tasks: BLOCKED, evaluated at once)
 *   in-process job whose session ended ──▶ ORPHANED
 *
 *   DAG tasks:  BLOCKED ──upstream done──▶ PENDING ;  BLOCKED ──upstream failed──▶ SKIPPED
 *               RUNNING ──condition false──▶ SKIPPED ;  SKIPPED ──upstream retried──▶ BLOCKED
 * </pre>
 */
public enum JobStatus {
    /** A DAG task waiting for its upstream tasks; it becomes PENDING (or SKIPPED) when they finish. */
    BLOCKED,
    /** Waiting to run; may have a run-at time in the future (delayed). */
    PENDING,
    /** Claimed by a worker pool and running (or about to start). */
    RUNNING,
    /** Finished without error. Terminal. */
    SUCCEEDED,
    /** The last attempt failed; the job will run again at its run-at time (backoff). */
    FAILED,
    /** Every attempt failed; the job is a dead letter until someone retries it. Terminal. */
    DEAD,
    /** Cancelled by a user. Terminal. */
    CANCELLED,
    /** Its time-to-live passed before it could start. Terminal. */
    EXPIRED,
    /**
     * An in-process (lambda) job whose session ended before it finished: the code it would run no
     * longer exists. Terminal; enqueue it again, or use a named task to survive restarts.
     */
    ORPHANED,
    /**
     * A DAG task that did not run: an upstream task failed (or was skipped) so that its dependency
     * mode cannot be met, or its condition was false. Terminal.
     */
    SKIPPED;

    /** Statuses a job never leaves on its own (only {@code retry} moves some of them back). */
    public static final Set<JobStatus> TERMINAL = EnumSet.of(SUCCEEDED, DEAD, CANCELLED, EXPIRED, ORPHANED, SKIPPED);
    /** Terminal statuses that mean the job's work did not happen as asked: they fail a DAG run. */
    public static final Set<JobStatus> LOST = EnumSet.of(DEAD, CANCELLED, EXPIRED, ORPHANED);
    /** Statuses of jobs that wait for a worker: pending and failed-awaiting-retry. */
    public static final Set<JobStatus> WAITING = EnumSet.of(PENDING, FAILED);
    /** Statuses from which {@code retry} moves a job back to {@link #PENDING}. */
    public static final Set<JobStatus> RETRYABLE = EnumSet.of(DEAD, CANCELLED, EXPIRED);
    /** Statuses from which a job can be cancelled. */
    public static final Set<JobStatus> CANCELLABLE = EnumSet.of(BLOCKED, PENDING, FAILED, RUNNING);

    /** @return true when the job has finished and will not run again unless retried */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** @return whether a job may move from this status to {@code next} */
    public boolean canMoveTo(JobStatus next) {
        switch (this) {
            case BLOCKED:
                return next == PENDING || next == SKIPPED || next == CANCELLED || next == ORPHANED;
            case PENDING:
            case FAILED:
                return next == RUNNING || next == CANCELLED || next == EXPIRED || next == ORPHANED;
            case RUNNING:
                return next != RUNNING && next != EXPIRED && next != BLOCKED;
            case DEAD:
            case CANCELLED:
            case EXPIRED:
                return next == PENDING || next == BLOCKED;
            case SKIPPED:
                return next == BLOCKED;
            default:
                return false;
        }
    }

    /** @return the lower-case name used in the database and in SQL queries, e.g. {@code "pending"} */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param dbName a status as stored in the database (case-insensitive)
     * @return the matching status
     * @throws IllegalArgumentException if the name is unknown
     */
    public static JobStatus fromDbName(String dbName) {
        try {
            return valueOf(dbName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown job status '" + dbName + "'; known: "
                    + EnumSet.allOf(JobStatus.class), e);
        }
    }
}
