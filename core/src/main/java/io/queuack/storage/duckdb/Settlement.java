package io.queuack.storage.duckdb;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.sql.RunSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * Evaluates the BLOCKED children of the given parents. The scans are bounded by the job-id range of the
     * runs involved (a run's jobs and dependency rows are stored as one block), so other runs cost nothing.
     */
    private static final String EVALUATE_CHILDREN = String.format(EVALUATE, ENDED,
            "d.child_id BETWEEN ? AND ? AND p.id BETWEEN ? AND ? AND d.child_id IN (SELECT child_id FROM"
            + " job_dependencies WHERE child_id BETWEEN ? AND ? AND parent_id = ANY(?))", MET);
    /** Evaluates the given BLOCKED jobs. */
    private static final String EVALUATE_JOBS = String.format(EVALUATE, ENDED,
            "d.child_id BETWEEN ? AND ? AND p.id BETWEEN ? AND ? AND d.child_id IN (SELECT child_id FROM"
            + " job_dependencies WHERE child_id BETWEEN ? AND ? AND child_id = ANY(?))", MET);
    /**
     * The common case, when every task that just finished succeeded: downstream tasks can only become
     * PENDING then (a success never skips anything), so the statement needs no skip reasons.
     */
    private static final String UNBLOCK_CHILDREN = """
            WITH agg AS (
                SELECT d.child_id AS id, count(*) AS parents,
                       count(*) FILTER (WHERE p.status = 'succeeded') AS succeeded
                FROM job_dependencies d JOIN jobs p ON p.id = d.parent_id
                WHERE d.child_id BETWEEN ? AND ? AND p.id BETWEEN ? AND ? AND d.child_id IN (SELECT child_id FROM
                      job_dependencies WHERE child_id BETWEEN ? AND ? AND parent_id = ANY(?))
                GROUP BY d.child_id)
            UPDATE jobs SET status = 'pending', run_at = ?
            FROM agg
            WHERE jobs.id = agg.id AND jobs.status = 'blocked'
              AND ((jobs.dependency_mode = 'any' AND agg.succeeded > 0)
                OR (jobs.dependency_mode = 'all' AND agg.succeeded = agg.parents))
            RETURNING jobs.id, jobs.queue, jobs.task, jobs.status, jobs.attempts, jobs.run_id, jobs.error_type,
                      jobs.error_message, jobs.error_trace""";
    private final Statements statements;
    /** Each run's job-id range; it never changes once the run is stored. Bounded: old entries are dropped. */
    private final Map<Long, long[]> runRanges = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > 1024;
        }
    };

    Settlement(Statements statements) {
        this.statements = statements;
    }

    /** Settles the runs of {@code finished} tasks. */
    Changes afterFinished(Collection<Finished> finished, Instant now) throws SQLException {
        if (finished.isEmpty()) {
            return Changes.NONE;
        }
        Counts counts = new Counts();
        List<Long> parents = new ArrayList<>();
        for (Finished task : finished) {
            counts.finished(task.runId(), JobStatus.LOST.contains(task.status()));
            parents.add(task.jobId());
        }
        List<JobTransition> jobs = new ArrayList<>();
        boolean allSucceeded = finished.stream().allMatch(task -> task.status() == JobStatus.SUCCEEDED);
        cascade(allSucceeded ? UNBLOCK_CHILDREN : EVALUATE_CHILDREN, parents, now, jobs, counts);
        return new Changes(jobs, counts.store(now));
    }

    /**
     * After a DAG task was retried: its downstream tasks that were skipped go back to BLOCKED and are
     * evaluated again (another failed upstream task may skip them at once), and its run runs again. A retried
     * task that went back to BLOCKED ({@code blocked}) is evaluated with them: PENDING if its upstream tasks
     * allow it now, SKIPPED if they never can, else it stays BLOCKED until they finish.
     */
    Changes afterRetry(long jobId, boolean blocked, long runId, Instant now) throws SQLException {
        List<JobTransition> jobs = new ArrayList<>();
        List<Long> reset = new ArrayList<>();
        if (blocked) {
            reset.add(jobId);
        }
        Counts counts = new Counts();
        counts.reopened(runId, true);
        for (JobTransition unskipped : RunSql.unskipDownstream(statements, jobId)) {
            reset.add(unskipped.jobId());
            counts.reopened(runId, false);
            jobs.add(unskipped);
        }
        List<RunTransition> runs = new ArrayList<>(RunSql.reopen(statements, runId));
        if (!reset.isEmpty()) {
            List<Long> skipped = evaluate(EVALUATE_JOBS, reset, now, jobs, counts);
            cascade(EVALUATE_CHILDREN, skipped, now, jobs, counts);
        }
        runs.addAll(counts.store(now));
        return new Changes(jobs, runs);
    }

    /** Evaluates, then keeps evaluating the children of whatever got skipped. */
    private void cascade(String sql, List<Long> ids, Instant now, List<JobTransition> jobs, Counts counts)
            throws SQLException {
        List<Long> next = ids;
        while (!next.isEmpty()) {
            next = evaluate(sql, next, now, jobs, counts);
        }
    }

    /** @return the jobs that became SKIPPED */
    private List<Long> evaluate(String sql, List<Long> ids, Instant now, List<JobTransition> jobs, Counts counts)
            throws SQLException {
        long[] bounds = bounds(counts.runs());
        PreparedStatement update = statements.prepare(sql);
        for (int i = 0; i < 3; i++) {
            update.setLong(1 + 2 * i, bounds[0]);
            update.setLong(2 + 2 * i, bounds[1]);
        }
        update.setArray(7, longs(ids));
        SqlValues.setTimestamp(update, 8, now);
        if (sql != UNBLOCK_CHILDREN) {
            SqlValues.setTimestamp(update, 9, now);
        }
        List<Long> skipped = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                JobStatus to = JobStatus.fromDbName(rs.getString(4));
                JobError error = to == JobStatus.SKIPPED ? SqlValues.error(rs, 7) : null;
                jobs.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.BLOCKED, to,
                        rs.getInt(5), error));
                if (to == JobStatus.SKIPPED) {
                    skipped.add(rs.getLong(1));
                    counts.finished(rs.getLong(6), false);
                }
            }
        }
        return skipped;
    }

    /** @return the lowest first and highest last job id of {@code runs} */
    private long[] bounds(Set<Long> runs) throws SQLException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long run : runs) {
            long[] range = runRanges.get(run);
            if (range == null) {
                range = readRange(run);
                runRanges.put(run, range);
            }
            first = Math.min(first, range[0]);
            last = Math.max(last, range[1]);
        }
        return new long[] {first, last};
    }

    private long[] readRange(long runId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT first_job_id, last_job_id FROM dag_runs WHERE id = ?");
        select.setLong(1, runId);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("DAG run " + runId + " is not stored");
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Changes to the runs' counters of unfinished and lost tasks, stored together; a run whose last task
     * finishes gets its final status then (no recount of its tasks).
     */
    private final class Counts {
        private final Map<Long, int[]> deltas = new LinkedHashMap<>();

        void finished(long runId, boolean lost) {
            int[] delta = deltas.computeIfAbsent(runId, id -> new int[2]);
            delta[0]--;
            delta[1] += lost ? 1 : 0;
        }

        void reopened(long runId, boolean wasLost) {
            int[] delta = deltas.computeIfAbsent(runId, id -> new int[2]);
            delta[0]++;
            delta[1] -= wasLost ? 1 : 0;
        }

        Set<Long> runs() {
            return deltas.keySet();
        }

        List<RunTransition> store(Instant now) throws SQLException {
            List<RunTransition> finished = new ArrayList<>();
            PreparedStatement update = statements.prepare("UPDATE dag_runs SET unfinished = unfinished + ?,"
                    + " lost = lost + ? WHERE id = ? RETURNING unfinished, lost, status, dag");
            PreparedStatement finish = statements.prepare("UPDATE dag_runs SET status = ?, finished_at = ?"
                    + " WHERE id = ? AND status = 'running'");
            for (Map.Entry<Long, int[]> entry : deltas.entrySet()) {
                update.setInt(1, entry.getValue()[0]);
                update.setInt(2, entry.getValue()[1]);
                update.setLong(3, entry.getKey());
                try (ResultSet rs = update.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 0 || !"running".equals(rs.getString(3))) {
                        continue;
                    }
                    RunStatus status = rs.getInt(2) > 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
                    finish.setString(1, status.dbName());
                    SqlValues.setTimestamp(finish, 2, now);
                    finish.setLong(3, entry.getKey());
                    finish.executeUpdate();
                    finished.add(new RunTransition(entry.getKey(), rs.getString(4), RunStatus.RUNNING, status));
                }
            }
            return finished;
        }
    }

    private Array longs(Collection<Long> values) throws SQLException {
        return statements.connection().createArrayOf("BIGINT", values.toArray());
    }
}
