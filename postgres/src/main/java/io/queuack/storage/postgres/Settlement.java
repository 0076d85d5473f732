package io.queuack.storage.postgres;

import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.sql.RunSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settles DAG runs in the caller's transaction after some of their tasks reached a terminal status, as the
 * DuckDB store does (BLOCKED tasks whose dependency mode is met become PENDING, those that can no longer be
 * met SKIPPED, down the graph; a run whose tasks all finished gets its final status), and safely when several
 * processes finish tasks of one run at the same moment: the run rows are locked first (in id order), so
 * settlements of one run take turns, and each evaluation reads the outcomes the others committed before it
 * (READ COMMITTED takes a new snapshot per statement). Two hosts finishing the two parents of a fan-in at once
 * therefore unblock the child exactly once: the second to lock sees both parents done.
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
                       (array_agg(p.node ORDER BY p.id) FILTER (WHERE p.status IN (%1$s)))[1] AS ended_node,
                       (array_agg(p.status ORDER BY p.id) FILTER (WHERE p.status IN (%1$s)))[1] AS ended_status
                FROM job_dependencies d JOIN jobs p ON p.id = d.parent_id
                WHERE d.child_id IN (SELECT child_id FROM job_dependencies WHERE %2$s = ANY(?))
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
    private static final String EVALUATE_CHILDREN = String.format(EVALUATE, ENDED, "parent_id", MET);
    /** Evaluates the given BLOCKED jobs. */
    private static final String EVALUATE_JOBS = String.format(EVALUATE, ENDED, "child_id", MET);
    private Settlement() {
    }

    /** Locks the rows of {@code runs}, in id order, until the transaction ends. */
    static void lockRuns(Statements statements, Collection<Long> runs) throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        PreparedStatement lock = statements.prepare(
                "SELECT id FROM dag_runs WHERE id = ANY(?) ORDER BY id FOR UPDATE");
        lock.setArray(1, statements.array("bigint", runs.stream().sorted().toArray()));
        lock.executeQuery().close();
    }

    /** Settles the runs of {@code finished} tasks; locks the runs first. */
    static Changes afterFinished(Statements statements, Collection<Finished> finished, Instant now)
            throws SQLException {
        if (finished.isEmpty()) {
            return Changes.NONE;
        }
        Counts counts = new Counts();
        List<Long> parents = new ArrayList<>();
        for (Finished task : finished) {
            counts.finished(task.runId(), JobStatus.LOST.contains(task.status()));
            parents.add(task.jobId());
        }
        lockRuns(statements, counts.runs());
        List<JobTransition> jobs = new ArrayList<>();
        cascade(statements, EVALUATE_CHILDREN, parents, now, jobs, counts);
        return new Changes(jobs, counts.store(statements, now));
    }

    /**
     * After a DAG task was retried: its downstream tasks that were skipped go back to BLOCKED and are evaluated
     * again, its run runs again, and the retried task itself is evaluated if it went back to BLOCKED.
     */
    static Changes afterRetry(Statements statements, long jobId, boolean blocked, long runId, Instant now)
            throws SQLException {
        lockRuns(statements, List.of(runId));
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
            List<Long> skipped = evaluate(statements, EVALUATE_JOBS, reset, now, jobs, counts);
            cascade(statements, EVALUATE_CHILDREN, skipped, now, jobs, counts);
        }
        runs.addAll(counts.store(statements, now));
        return new Changes(jobs, runs);
    }

    private static void cascade(Statements statements, String sql, List<Long> ids, Instant now,
                                List<JobTransition> jobs, Counts counts) throws SQLException {
        List<Long> next = ids;
        while (!next.isEmpty()) {
            next = evaluate(statements, sql, next, now, jobs, counts);
        }
    }

    /** @return the jobs that became SKIPPED */
    private static List<Long> evaluate(Statements statements, String sql, List<Long> ids, Instant now,
                                       List<JobTransition> jobs, Counts counts) throws SQLException {
        PreparedStatement update = statements.prepare(sql);
        update.setArray(1, statements.array("bigint", ids.toArray()));
        SqlValues.setTimestamp(update, 2, now);
        SqlValues.setTimestamp(update, 3, now);
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

    /**
     * Changes to the runs' counters of unfinished and lost tasks, stored together (the runs are locked); a run
     * whose last task finishes gets its final status then.
     */
    private static final class Counts {
        private final Map<Long, int[]> deltas = new TreeMap<>();

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

        List<RunTransition> store(Statements statements, Instant now) throws SQLException {
            List<RunTransition> finished = new ArrayList<>();
            PreparedStatement update = statements.prepare("UPDATE dag_runs SET unfinished = unfinished + ?,"
                    + " lost = lost + ?, status = CASE WHEN status = 'running' AND unfinished + ? = 0 THEN"
                    + " (CASE WHEN lost + ? > 0 THEN 'failed' ELSE 'succeeded' END) ELSE status END,"
                    + " finished_at = CASE WHEN status = 'running' AND unfinished + ? = 0 THEN ? ELSE finished_at END"
                    + " WHERE id = ? RETURNING status, dag, unfinished");
            for (Map.Entry<Long, int[]> entry : deltas.entrySet()) {
                int unfinished = entry.getValue()[0];
                int lost = entry.getValue()[1];
                update.setInt(1, unfinished);
                update.setInt(2, lost);
                update.setInt(3, unfinished);
                update.setInt(4, lost);
                update.setInt(5, unfinished);
                SqlValues.setTimestamp(update, 6, now);
                update.setLong(7, entry.getKey());
                try (ResultSet rs = update.executeQuery()) {
                    if (rs.next() && rs.getInt(3) == 0 && unfinished != 0) {
                        RunStatus status = RunStatus.fromDbName(rs.getString(1));
                        if (status != RunStatus.RUNNING && status != RunStatus.CANCELLED) {
                            finished.add(new RunTransition(entry.getKey(), rs.getString(2), RunStatus.RUNNING, status));
                        }
                    }
                }
            }
            return finished;
        }
    }
}
