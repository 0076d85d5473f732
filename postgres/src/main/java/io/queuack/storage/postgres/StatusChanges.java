package io.queuack.storage.postgres;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.sql.AttemptSql;
import io.queuack.storage.sql.JobSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Status changes that do not come from a worker's outcome: lease recovery (run by any live process, several
 * at once), restart recovery, expiry, cancel and retry, run cancellation, purge. Each change locks the rows it
 * moves and reports what it moved from the locked rows themselves, so two processes recovering the same lease
 * at once move (and report, and settle) it once; rows another transaction holds are skipped, not waited for.
 */
final class StatusChanges {

    private static final String CANCELLABLE = "('blocked', 'pending', 'failed', 'running')";

    private StatusChanges() {
    }

    static Changes recoverExpiredLeases(Statements statements, Instant now, JobError error) throws SQLException {
        return recover(statements, "status = 'running' AND lease_until <= ?", List.of(now), now, error);
    }

    static Changes recoverAfterRestart(Statements statements, String sessionId, Instant now, JobError lostWorker,
                                       JobError orphaned) throws SQLException {
        Changes orphans = changeAll(statements, "session_id IS NOT NULL AND session_id <> ? AND status IN"
                + " ('pending', 'failed', 'running')", List.of(sessionId), JobStatus.ORPHANED, now, orphaned);
        return orphans.plus(recover(statements, "status = 'running'", List.of(), now, lostWorker));
    }

    static Changes expire(Statements statements, Instant now, JobError error) throws SQLException {
        return changeAll(statements, "status IN ('pending', 'failed') AND expires_at <= ?", List.of(now), JobStatus.EXPIRED,
                now, error);
    }

    /**
     * Running jobs matching {@code where} (with its parameters) go to FAILED (due now) while attempts remain, else
     * DEAD; those whose attempt never started are given back first, without using an attempt.
     */
    private static Changes recover(Statements statements, String where, List<Object> parameters, Instant now,
                                   JobError error) throws SQLException {
        Changes givenBack = giveBackUnstarted(statements, where, parameters, now, error);
        Changes retrying = changeAll(statements, where + " AND attempts < max_attempts", parameters, JobStatus.FAILED,
                now, error);
        return givenBack.plus(retrying).plus(changeAll(statements, where + " AND attempts >= max_attempts", parameters,
                JobStatus.DEAD, now, error));
    }

    /** Gives back attempts that never started; their events carry {@code error} (it is not stored with them). */
    private static Changes giveBackUnstarted(Statements statements, String where, List<Object> parameters, Instant now,
                                             JobError error) throws SQLException {
        PreparedStatement update = statements.prepare("WITH locked AS (SELECT id FROM jobs WHERE " + where
                + " AND coalesce(started_attempt, 0) <> attempts ORDER BY id FOR UPDATE SKIP LOCKED)"
                + " UPDATE jobs SET status = CASE WHEN attempts <= 1 THEN 'pending' ELSE 'failed' END,"
                + " attempts = attempts - 1, run_at = ?, owner = NULL, lease_until = NULL,"
                + " unstarted_losses = unstarted_losses + 1 FROM locked WHERE jobs.id = locked.id"
                + " RETURNING jobs.id, jobs.queue, jobs.task, jobs.status, jobs.attempts");
        SqlValues.setTimestamp(update, bind(update, 1, parameters), now);
        List<JobTransition> changes = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                changes.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.RUNNING,
                        JobStatus.fromDbName(rs.getString(4)), rs.getInt(5), error));
            }
        }
        return Changes.of(changes);
    }

    /** Moves every job matching {@code where} to {@code to}, storing {@code error}; settles the runs touched. */
    private static Changes changeAll(Statements statements, String where, List<Object> parameters, JobStatus to,
                                     Instant now, JobError error) throws SQLException {
        String runAt = to == JobStatus.FAILED ? "?" : "jobs.run_at";
        PreparedStatement update = statements.prepare("WITH locked AS (SELECT id, status FROM jobs WHERE " + where
                + " ORDER BY id FOR UPDATE SKIP LOCKED)"
                + " UPDATE jobs SET status = ?, run_at = " + runAt + ", owner = NULL, lease_until = NULL,"
                + " finished_at = ?, error_type = ?, error_message = ?, error_trace = ? FROM locked"
                + " WHERE jobs.id = locked.id RETURNING jobs.id, jobs.queue, jobs.task, locked.status, jobs.attempts,"
                + " jobs.run_id");
        int i = bind(update, 1, parameters);
        update.setString(i++, to.dbName());
        if (to == JobStatus.FAILED) {
            SqlValues.setTimestamp(update, i++, now);
        }
        SqlValues.setTimestamp(update, i++, now);
        update.setString(i++, error.type());
        update.setString(i++, error.message());
        update.setString(i, error.stackTrace());
        List<JobTransition> changes = new ArrayList<>();
        List<Settlement.Finished> finished = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                changes.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        JobStatus.fromDbName(rs.getString(4)), to, rs.getInt(5), error));
                Long runId = SqlValues.nullableLong(rs, 6);
                if (runId != null && to.isTerminal()) {
                    finished.add(new Settlement.Finished(rs.getLong(1), runId, to));
                }
            }
        }
        if (to == JobStatus.FAILED || to == JobStatus.DEAD) {
            AttemptSql.recordFailures(statements, changes.stream().map(JobTransition::jobId).toList());
        }
        if (changes.isEmpty()) {
            return Changes.NONE;
        }
        changes.sort(Comparator.comparingLong(JobTransition::jobId));
        return Changes.of(changes).plus(Settlement.afterFinished(statements, finished, now));
    }

    static Changes transition(Statements statements, long jobId, JobStatus expected, JobStatus to, Instant now)
            throws SQLException {
        JobSql.Applied applied = JobSql.transition(statements, jobId, expected, to, now);
        if (applied == null) {
            return Changes.NONE;
        }
        Changes changes = Changes.of(List.of(applied.change()));
        if (applied.runId() == null) {
            return changes;
        }
        return changes.plus(to == JobStatus.CANCELLED
                ? Settlement.afterFinished(statements, List.of(new Settlement.Finished(jobId, applied.runId(), to)), now)
                : Settlement.afterRetry(statements, jobId, applied.change().to() == JobStatus.BLOCKED, applied.runId(),
                        now));
    }

    static Changes cancelRun(Statements statements, long rootRunId, Instant now) throws SQLException {
        PreparedStatement lockRuns = statements.prepare(
                "SELECT id FROM dag_runs WHERE root_run_id = ? ORDER BY id FOR UPDATE");
        lockRuns.setLong(1, rootRunId);
        lockRuns.executeQuery().close();
        PreparedStatement cancelJobs = statements.prepare("WITH locked AS (SELECT id, status FROM jobs"
                + " WHERE root_run_id = ? AND status IN " + CANCELLABLE + " ORDER BY id FOR UPDATE)"
                + " UPDATE jobs SET status = 'cancelled', owner = NULL, lease_until = NULL, finished_at = ? FROM locked"
                + " WHERE jobs.id = locked.id RETURNING jobs.id, jobs.queue, jobs.task, locked.status, jobs.attempts");
        cancelJobs.setLong(1, rootRunId);
        SqlValues.setTimestamp(cancelJobs, 2, now);
        List<JobTransition> jobs = new ArrayList<>();
        try (ResultSet rs = cancelJobs.executeQuery()) {
            while (rs.next()) {
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        JobStatus.fromDbName(rs.getString(4)), JobStatus.CANCELLED, rs.getInt(5), null));
            }
        }
        jobs.sort(Comparator.comparingLong(JobTransition::jobId));
        List<RunTransition> runs = new ArrayList<>();
        PreparedStatement cancelRuns = statements.prepare("UPDATE dag_runs SET status = 'cancelled', finished_at = ?"
                + " WHERE root_run_id = ? AND status = 'running' RETURNING id, dag");
        SqlValues.setTimestamp(cancelRuns, 1, now);
        cancelRuns.setLong(2, rootRunId);
        try (ResultSet rs = cancelRuns.executeQuery()) {
            while (rs.next()) {
                runs.add(new RunTransition(rs.getLong(1), rs.getString(2), RunStatus.RUNNING, RunStatus.CANCELLED));
            }
        }
        return new Changes(jobs, runs);
    }

    static int purge(Statements statements, Set<JobStatus> statuses, Instant finishedBefore, String queue)
            throws SQLException {
        Object[] terminal = statuses.stream().filter(JobStatus::isTerminal).map(JobStatus::dbName).toArray();
        PreparedStatement delete = statements.prepare("DELETE FROM jobs WHERE status = ANY(?) AND finished_at < ?"
                + (queue == null ? "" : " AND queue = ?")
                + " AND (run_id IS NULL OR run_id IN (SELECT id FROM dag_runs WHERE status <> 'running'))"
                + " RETURNING id, run_id");
        delete.setArray(1, statements.array("text", terminal));
        SqlValues.setTimestamp(delete, 2, finishedBefore);
        if (queue != null) {
            delete.setString(3, queue);
        }
        List<Long> deleted = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        try (ResultSet rs = delete.executeQuery()) {
            while (rs.next()) {
                deleted.add(rs.getLong(1));
                Long run = SqlValues.nullableLong(rs, 2);
                if (run != null) {
                    runs.add(run);
                }
            }
        }
        if (deleted.isEmpty()) {
            return 0;
        }
        PreparedStatement dependencies = statements.prepare("DELETE FROM job_dependencies"
                + " WHERE child_id = ANY(?) OR parent_id = ANY(?)");
        dependencies.setArray(1, statements.array("bigint", deleted.toArray()));
        dependencies.setArray(2, statements.array("bigint", deleted.toArray()));
        dependencies.executeUpdate();
        PreparedStatement attempts = statements.prepare("DELETE FROM job_attempts WHERE job_id = ANY(?)");
        attempts.setArray(1, statements.array("bigint", deleted.toArray()));
        attempts.executeUpdate();
        if (!runs.isEmpty()) {
            PreparedStatement emptyRuns = statements.prepare("DELETE FROM dag_runs r WHERE r.id = ANY(?)"
                    + " AND r.status <> 'running' AND r.task_count > 0"
                    + " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id)");
            emptyRuns.setArray(1, statements.array("bigint", runs.stream().distinct().toArray()));
            emptyRuns.executeUpdate();
        }
        return deleted.size();
    }

    /** @return the index after the last one bound */
    private static int bind(PreparedStatement statement, int first, List<Object> parameters) throws SQLException {
        int index = first;
        for (Object value : parameters) {
            if (value instanceof Instant instant) {
                SqlValues.setTimestamp(statement, index++, instant);
            } else {
                statement.setObject(index++, value);
            }
        }
        return index;
    }
}
