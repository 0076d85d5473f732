package io.queuack.storage.duckdb;

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
import java.util.List;
import java.util.Set;

/**
 * Status changes that do not come from a worker's outcome: lease recovery, restart recovery, expiry,
 * cancel and retry, run cancellation, purge. Each settles the DAG runs it touches. The caller holds
 * the transaction.
 */
final class StatusChanges {

    private static final String CANCELLABLE = "('blocked', 'pending', 'failed', 'running')";

    private final Statements statements;
    private final Settlement settlement;

    StatusChanges(Statements statements, Settlement settlement) {
        this.statements = statements;
        this.settlement = settlement;
    }

    Changes recoverExpiredLeases(Instant now, JobError error) throws SQLException {
        return recover("status = 'running' AND lease_until <= ?", List.of(now), now, error);
    }

    Changes recoverAfterRestart(String sessionId, Instant now, JobError lostWorker, JobError orphaned)
            throws SQLException {
        Changes orphans = changeAll("session_id IS NOT NULL AND session_id <> ? AND status IN ('pending', 'failed',"
                + " 'running')", List.of(sessionId), JobStatus.ORPHANED, now, orphaned);
        return orphans.plus(recover("status = 'running'", List.of(), now, lostWorker));
    }

    Changes expire(Instant now, JobError error) throws SQLException {
        return changeAll("status IN ('pending', 'failed') AND expires_at <= ?", List.of(now), JobStatus.EXPIRED, now,
                error);
    }

    /**
     * Running jobs matching {@code where} go to FAILED (due now) while attempts remain, else DEAD; those whose
     * attempt never started are given back first, without using an attempt.
     */
    private Changes recover(String where, List<Object> parameters, Instant now, JobError error) throws SQLException {
        Changes givenBack = giveBackUnstarted(where, parameters, now, error);
        Changes retrying = changeAll(where + " AND attempts < max_attempts", parameters, JobStatus.FAILED, now, error);
        return givenBack.plus(retrying).plus(changeAll(where + " AND attempts >= max_attempts", parameters,
                JobStatus.DEAD, now, error));
    }

    /** Gives back attempts that never started; their events carry {@code error} (it is not stored with them). */
    private Changes giveBackUnstarted(String where, List<Object> parameters, Instant now, JobError error)
            throws SQLException {
        PreparedStatement update = statements.prepare("UPDATE jobs SET status = CASE WHEN attempts <= 1 THEN 'pending'"
                + " ELSE 'failed' END, attempts = attempts - 1, run_at = ?, owner = NULL, lease_until = NULL,"
                + " unstarted_losses = coalesce(unstarted_losses, 0) + 1 WHERE " + where
                + " AND coalesce(started_attempt, 0) <> attempts RETURNING id, queue, task, status, attempts");
        SqlValues.setTimestamp(update, 1, now);
        bind(update, 2, parameters);
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
    private Changes changeAll(String where, List<Object> parameters, JobStatus to, Instant now, JobError error)
            throws SQLException {
        List<JobTransition> changes = new ArrayList<>();
        List<Settlement.Finished> finished = new ArrayList<>();
        PreparedStatement select = statements.prepare(
                "SELECT id, queue, task, status, attempts, run_id FROM jobs WHERE " + where + " ORDER BY id");
        bind(select, 1, parameters);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                changes.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        JobStatus.fromDbName(rs.getString(4)), to, rs.getInt(5), error));
                Long runId = SqlValues.nullableLong(rs, 6);
                if (runId != null && to.isTerminal()) {
                    finished.add(new Settlement.Finished(rs.getLong(1), runId, to));
                }
            }
        }
        if (changes.isEmpty()) {
            return Changes.NONE;
        }
        String runAt = to == JobStatus.FAILED ? "?" : "run_at";
        PreparedStatement update = statements.prepare("UPDATE jobs SET status = ?, run_at = " + runAt
                + ", owner = NULL, lease_until = NULL, finished_at = ?, error_type = ?, error_message = ?,"
                + " error_trace = ? WHERE " + where);
        int i = 1;
        update.setString(i++, to.dbName());
        if (to == JobStatus.FAILED) {
            SqlValues.setTimestamp(update, i++, now);
        }
        SqlValues.setTimestamp(update, i++, now);
        update.setString(i++, error.type());
        update.setString(i++, error.message());
        update.setString(i++, error.stackTrace());
        bind(update, i, parameters);
        update.executeUpdate();
        if (to == JobStatus.FAILED || to == JobStatus.DEAD) {
            AttemptSql.recordFailures(statements, changes.stream().map(JobTransition::jobId).toList());
        }
        return Changes.of(changes).plus(settlement.afterFinished(finished, now));
    }

    Changes transition(long jobId, JobStatus expected, JobStatus to, Instant now) throws SQLException {
        JobSql.Applied applied = JobSql.transition(statements, jobId, expected, to, now);
        if (applied == null) {
            return Changes.NONE;
        }
        Changes changes = Changes.of(List.of(applied.change()));
        if (applied.runId() == null) {
            return changes;
        }
        return changes.plus(to == JobStatus.CANCELLED
                ? settlement.afterFinished(List.of(new Settlement.Finished(jobId, applied.runId(), to)), now)
                : settlement.afterRetry(jobId, applied.change().to() == JobStatus.BLOCKED, applied.runId(), now));
    }

    Changes cancelRun(long rootRunId, Instant now) throws SQLException {
        List<JobTransition> jobs = new ArrayList<>();
        PreparedStatement select = statements.prepare("SELECT id, queue, task, status, attempts FROM jobs"
                + " WHERE root_run_id = ? AND status IN " + CANCELLABLE + " ORDER BY id");
        select.setLong(1, rootRunId);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        JobStatus.fromDbName(rs.getString(4)), JobStatus.CANCELLED, rs.getInt(5), null));
            }
        }
        PreparedStatement cancelJobs = statements.prepare("UPDATE jobs SET status = 'cancelled', owner = NULL,"
                + " lease_until = NULL, finished_at = ? WHERE root_run_id = ? AND status IN " + CANCELLABLE);
        SqlValues.setTimestamp(cancelJobs, 1, now);
        cancelJobs.setLong(2, rootRunId);
        cancelJobs.executeUpdate();
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

    int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) throws SQLException {
        for (String table : new String[] {"jobs", "dag_runs"}) {
            statements.prepare("INSERT INTO queuack_counters (name, value) SELECT '" + table + "', coalesce(max(id), 0)"
                    + " FROM " + table + " ON CONFLICT (name) DO UPDATE SET value = greatest(queuack_counters.value,"
                    + " excluded.value)").executeUpdate();
        }
        Object[] terminal = statuses.stream().filter(JobStatus::isTerminal).map(JobStatus::dbName).toArray();
        PreparedStatement delete = statements.prepare("DELETE FROM jobs WHERE status = ANY(?) AND finished_at < ?"
                + (queue == null ? "" : " AND queue = ?")
                + " AND (run_id IS NULL OR run_id IN (SELECT id FROM dag_runs WHERE status <> 'running'))");
        delete.setArray(1, statements.connection().createArrayOf("VARCHAR", terminal));
        SqlValues.setTimestamp(delete, 2, finishedBefore);
        if (queue != null) {
            delete.setString(3, queue);
        }
        int deleted = delete.executeUpdate();
        if (deleted > 0) {
            statements.prepare("DELETE FROM job_dependencies WHERE child_id NOT IN (SELECT id FROM jobs)"
                    + " OR parent_id NOT IN (SELECT id FROM jobs)").executeUpdate();
            statements.prepare("DELETE FROM job_attempts WHERE job_id NOT IN (SELECT id FROM jobs)").executeUpdate();
            statements.prepare("DELETE FROM dag_runs WHERE status <> 'running' AND task_count > 0"
                    + " AND id NOT IN (SELECT run_id FROM jobs WHERE run_id IS NOT NULL)").executeUpdate();
        }
        return deleted;
    }

    private void bind(PreparedStatement statement, int first, List<Object> parameters) throws SQLException {
        int index = first;
        for (Object value : parameters) {
            if (value instanceof Instant instant) {
                SqlValues.setTimestamp(statement, index++, instant);
            } else {
                statement.setObject(index++, value);
            }
        }
    }
}
