package io.queuack.storage.duckdb;

import io.queuack.JobError;
import io.queuack.JobStatus;
import io.queuack.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Settles DAG runs in the caller's transaction after some of their tasks reached a terminal status:
 * BLOCKED downstream tasks whose dependency mode is met become PENDING, those that can no longer be met
 * become SKIPPED (repeated down the graph), and runs whose tasks all finished get their final status.
 * Each step is one set-based statement.
 */
final class Settlement {

    /** A DAG task that just reached a terminal status. */
    record Finished(long jobId, long runId, JobStatus status) {
    }

    private static final String ENDED = "'dead', 'cancelled', 'expired', 'orphaned', 'skipped'";
    private static final String MET = "((jobs.dependency_mode = 'any' AND agg.succeeded > 0)"
            + " OR (jobs.dependency_mode = 'all' AND agg.succeeded = agg.parents))";
    private static final String EVALUATE = """
            WITH agg AS (
                SELECT d.child_id AS id,
                       count(*) AS parents,
                       count(*) FILTER (WHERE p.status = 'succeeded') AS succeeded,
                       count(*) FILTER (WHERE p.status IN (%1$s)) AS ended,
                       arg_min(p.node, p.id) FILTER (WHERE p.status IN (%1$s)) AS ended_node,
                       arg_min(p.status, p.id) FILTER (WHERE p.status IN (%1$s)) AS ended_status
                FROM job_dependencies d JOIN jobs p ON p.id = d.parent_id
                WHERE %2$s
                GROUP BY d.child_id)
            UPDATE jobs SET
                status = CASE WHEN %3$s THEN 'pending' ELSE 'skipped' END,
                run_at = ?,
                finished_at = CASE WHEN %3$s THEN NULL ELSE ? END,
                error_type = CASE WHEN %3$s THEN jobs.error_type ELSE 'io.queuack.Skipped' END,
                error_message = CASE WHEN %3$s THEN jobs.error_message
                                     WHEN jobs.dependency_mode = 'any' THEN 'none of its upstream tasks succeeded'
                                     ELSE 'upstream task ''' || agg.ended_node || ''' ended ' || upper(agg.ended_status) END,
                error_trace = CASE WHEN %3$s THEN jobs.error_trace ELSE '' END
            FROM agg
            WHERE jobs.id = agg.id AND jobs.status = 'blocked'
              AND ((jobs.dependency_mode = 'any' AND (agg.succeeded > 0 OR agg.ended = agg.parents))
                OR (jobs.dependency_mode = 'all' AND (agg.succeeded = agg.parents OR agg.ended > 0)))
            RETURNING jobs.id, jobs.queue, jobs.task, jobs.status, jobs.attempts, jobs.run_id, jobs.error_type,
                      jobs.error_message, jobs.error_trace""";
    /** Evaluates the BLOCKED children of the given parents. */
    private static final String EVALUATE_CHILDREN = String.format(EVALUATE, ENDED,
            "d.child_id IN (SELECT child_id FROM job_dependencies WHERE parent_id = ANY(?))", MET);
    /** Evaluates the given BLOCKED jobs. */
    private static final String EVALUATE_JOBS = String.format(EVALUATE, ENDED, "d.child_id = ANY(?)", MET);
    private static final String FINISH_RUNS = """
            UPDATE dag_runs SET status = CASE WHEN agg.lost > 0 THEN 'failed' ELSE 'succeeded' END, finished_at = ?
            FROM (SELECT run_id,
                         count(*) FILTER (WHERE status NOT IN ('succeeded', %s)) AS unfinished,
                         count(*) FILTER (WHERE status IN ('dead', 'cancelled', 'expired', 'orphaned')) AS lost
                  FROM jobs WHERE run_id = ANY(?) AND id BETWEEN ? AND ? GROUP BY run_id) agg
            WHERE dag_runs.id = agg.run_id AND dag_runs.status = 'running' AND agg.unfinished = 0
            RETURNING dag_runs.id, dag_runs.dag, dag_runs.status""".formatted(ENDED);
    private static final String UNSKIP = """
            WITH RECURSIVE downstream(id) AS (
                SELECT d.child_id FROM job_dependencies d JOIN jobs c ON c.id = d.child_id
                WHERE d.parent_id = ? AND c.status = 'skipped'
                UNION
                SELECT d.child_id FROM job_dependencies d JOIN downstream ON d.parent_id = downstream.id
                JOIN jobs c ON c.id = d.child_id WHERE c.status = 'skipped')
            UPDATE jobs SET status = 'blocked', finished_at = NULL, error_type = NULL, error_message = NULL,
                            error_trace = NULL
            WHERE id IN (SELECT id FROM downstream)
            RETURNING id, queue, task, attempts""";

    private final Statements statements;

    Settlement(Statements statements) {
        this.statements = statements;
    }

    /** Settles the runs of {@code finished} tasks. */
    Changes afterFinished(Collection<Finished> finished, Instant now) throws SQLException {
        if (finished.isEmpty()) {
            return Changes.NONE;
        }
        Set<Long> runs = new LinkedHashSet<>();
        List<Long> parents = new ArrayList<>();
        for (Finished task : finished) {
            runs.add(task.runId());
            parents.add(task.jobId());
        }
        List<JobTransition> jobs = new ArrayList<>();
        cascade(EVALUATE_CHILDREN, parents, now, jobs, runs);
        return new Changes(jobs, finishRuns(runs, now));
    }

    /**
     * After a DAG task was retried: its downstream tasks that were skipped go back to BLOCKED and are
     * evaluated again (another failed upstream task may skip them at once), and its run runs again.
     */
    Changes afterRetry(long jobId, long runId, Instant now) throws SQLException {
        List<JobTransition> jobs = new ArrayList<>();
        List<Long> reset = new ArrayList<>();
        PreparedStatement unskip = statements.prepare(UNSKIP);
        unskip.setLong(1, jobId);
        try (ResultSet rs = unskip.executeQuery()) {
            while (rs.next()) {
                reset.add(rs.getLong(1));
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.SKIPPED,
                        JobStatus.BLOCKED, rs.getInt(4), null));
            }
        }
        List<RunTransition> runs = new ArrayList<>();
        PreparedStatement reopen = statements.prepare("UPDATE dag_runs SET status = 'running', finished_at = NULL"
                + " WHERE id = ? AND status = 'failed' RETURNING id, dag");
        reopen.setLong(1, runId);
        try (ResultSet rs = reopen.executeQuery()) {
            while (rs.next()) {
                runs.add(new RunTransition(rs.getLong(1), rs.getString(2), RunStatus.FAILED, RunStatus.RUNNING));
            }
        }
        if (!reset.isEmpty()) {
            Set<Long> touched = new LinkedHashSet<>();
            List<Long> skipped = evaluate(EVALUATE_JOBS, reset, now, jobs, touched);
            cascade(EVALUATE_CHILDREN, skipped, now, jobs, touched);
        }
        return new Changes(jobs, runs);
    }

    /** Evaluates, then keeps evaluating the children of whatever got skipped. */
    private void cascade(String sql, List<Long> ids, Instant now, List<JobTransition> jobs, Set<Long> runs)
            throws SQLException {
        List<Long> next = ids;
        while (!next.isEmpty()) {
            next = evaluate(sql, next, now, jobs, runs);
        }
    }

    /** @return the jobs that became SKIPPED */
    private List<Long> evaluate(String sql, List<Long> ids, Instant now, List<JobTransition> jobs, Set<Long> runs)
            throws SQLException {
        PreparedStatement update = statements.prepare(sql);
        update.setArray(1, longs(ids));
        Sql.setTimestamp(update, 2, now);
        Sql.setTimestamp(update, 3, now);
        List<Long> skipped = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                JobStatus to = JobStatus.fromDbName(rs.getString(4));
                JobError error = to == JobStatus.SKIPPED ? Sql.error(rs, 7) : null;
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.BLOCKED, to,
                        rs.getInt(5), error));
                runs.add(rs.getLong(6));
                if (to == JobStatus.SKIPPED) {
                    skipped.add(rs.getLong(1));
                }
            }
        }
        return skipped;
    }

    private List<RunTransition> finishRuns(Set<Long> runs, Instant now) throws SQLException {
        Array runIds = longs(runs);
        PreparedStatement bounds = statements.prepare(
                "SELECT min(first_job_id), max(last_job_id) FROM dag_runs WHERE id = ANY(?)");
        bounds.setArray(1, runIds);
        long first;
        long last;
        try (ResultSet rs = bounds.executeQuery()) {
            rs.next();
            first = rs.getLong(1);
            last = rs.getLong(2);
        }
        List<RunTransition> finished = new ArrayList<>();
        PreparedStatement update = statements.prepare(FINISH_RUNS);
        Sql.setTimestamp(update, 1, now);
        update.setArray(2, runIds);
        update.setLong(3, first);
        update.setLong(4, last);
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                finished.add(new RunTransition(rs.getLong(1), rs.getString(2), RunStatus.RUNNING,
                        RunStatus.fromDbName(rs.getString(3))));
            }
        }
        return finished;
    }

    private Array longs(Collection<Long> values) throws SQLException {
        return statements.connection().createArrayOf("BIGINT", values.toArray());
    }
}
