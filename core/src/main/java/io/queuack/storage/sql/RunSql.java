package io.queuack.storage.sql;

import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.RunTransition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Statements on DAG runs that the SQL stores run alike, in the caller's transaction. */
public final class RunSql {

    private static final String UNSKIP = """
            WITH RECURSIVE downstream(id) AS (
                SELECT d.child_id FROM job_dependencies d JOIN jobs c ON c.id = d.child_id
                WHERE d.parent_id = ? AND c.status = 'skipped'
                UNION
                SELECT d.child_id FROM job_dependencies d JOIN downstream ON d.parent_id = downstream.id
                JOIN jobs c ON c.id = d.child_id WHERE c.status = 'skipped')
            UPDATE jobs SET status = 'blocked', finished_at = NULL, error_type = NULL, error_message = NULL,
                            error_trace = NULL
            WHERE id IN (SELECT id FROM downstream) AND status = 'skipped'
            RETURNING id, queue, task, attempts""";

    private RunSql() {
    }

    /** @return the stored run with the plan's idempotency key (its job ids in plan order), or null */
    public static RunInserted existing(StatementSource statements, RunPlan plan) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT id FROM dag_runs WHERE idempotency_key = ?");
        select.setString(1, plan.idempotencyKey());
        long runId;
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            runId = rs.getLong(1);
        }
        Map<String, Long> byNode = new HashMap<>();
        PreparedStatement jobs = statements.prepare("SELECT node, id FROM jobs WHERE run_id = ?");
        jobs.setLong(1, runId);
        try (ResultSet rs = jobs.executeQuery()) {
            while (rs.next()) {
                byNode.put(rs.getString(1), rs.getLong(2));
            }
        }
        long[] ids = plan.tasks().stream().mapToLong(task -> byNode.getOrDefault(task.node(), -1L)).toArray();
        return new RunInserted(runId, ids, true);
    }

    /** @return the root of the run tree a new run belongs to: its spawning job's, or its own id at the top */
    public static long rootOf(StatementSource statements, Long parentJobId, long runId) throws SQLException {
        if (parentJobId == null) {
            return runId;
        }
        PreparedStatement select = statements.prepare("SELECT root_run_id FROM jobs WHERE id = ?");
        select.setLong(1, parentJobId);
        try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                long root = rs.getLong(1);
                return rs.wasNull() ? runId : root;
            }
            return runId;
        }
    }

    /** Puts the downstream tasks a retried task had skipped back to BLOCKED. @return those changes */
    public static List<JobTransition> unskipDownstream(StatementSource statements, long jobId) throws SQLException {
        List<JobTransition> jobs = new ArrayList<>();
        PreparedStatement unskip = statements.prepare(UNSKIP);
        unskip.setLong(1, jobId);
        try (ResultSet rs = unskip.executeQuery()) {
            while (rs.next()) {
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.SKIPPED,
                        JobStatus.BLOCKED, rs.getInt(4), null));
            }
        }
        return jobs;
    }

    /** A failed run whose task was retried runs again. @return the change, if it was failed */
    public static List<RunTransition> reopen(StatementSource statements, long runId) throws SQLException {
        List<RunTransition> runs = new ArrayList<>();
        PreparedStatement reopen = statements.prepare("UPDATE dag_runs SET status = 'running', finished_at = NULL"
                + " WHERE id = ? AND status = 'failed' RETURNING id, dag");
        reopen.setLong(1, runId);
        try (ResultSet rs = reopen.executeQuery()) {
            while (rs.next()) {
                runs.add(new RunTransition(rs.getLong(1), rs.getString(2), RunStatus.FAILED, RunStatus.RUNNING));
            }
        }
        return runs;
    }

    /**
     * Inserts the run's row: RUNNING with its task counters, or SUCCEEDED at once when it has no task; its job-id
     * range spans {@code jobIds} (which are ascending).
     */
    public static void insertRunRow(StatementSource statements, RunPlan plan, long runId, long root, long[] jobIds)
            throws SQLException {
        int count = jobIds.length;
        PreparedStatement insert = statements.prepare("INSERT INTO dag_runs (id, dag, status, parameters, options,"
                + " parent_job_id, root_run_id, idempotency_key, created_at, finished_at, first_job_id, last_job_id,"
                + " task_count, unfinished, lost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
        insert.setLong(1, runId);
        insert.setString(2, plan.dag());
        insert.setString(3, (count == 0 ? RunStatus.SUCCEEDED : RunStatus.RUNNING).dbName());
        insert.setString(4, plan.parametersJson());
        insert.setString(5, plan.optionsJson());
        SqlValues.setNullableLong(insert, 6, plan.parentJobId());
        insert.setLong(7, root);
        insert.setString(8, plan.idempotencyKey());
        SqlValues.setTimestamp(insert, 9, plan.createdAt());
        SqlValues.setTimestamp(insert, 10, count == 0 ? plan.createdAt() : null);
        SqlValues.setNullableLong(insert, 11, count == 0 ? null : jobIds[0]);
        SqlValues.setNullableLong(insert, 12, count == 0 ? null : jobIds[count - 1]);
        insert.setInt(13, count);
        insert.setInt(14, count);
        insert.executeUpdate();
    }
}
