package io.queuack.storage.postgres;

import io.queuack.job.DagTaskName;
import io.queuack.storage.PlannedTask;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.sql.RunSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts a DAG run: the run row, its tasks and its dependency rows in the caller's transaction (each as one
 * statement over arrays), so no task can be claimed before every dependency row exists. A run whose
 * idempotency key is stored (or being stored by another process: the unique index makes the transaction run
 * again) is returned instead.
 */
final class RunWriter {

    private static final String INSERT_JOBS = """
            INSERT INTO jobs (id, node, task, dag, arguments, queue, priority, max_attempts, backoff_initial_ms,
                              backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, dependency_mode, status,
                              limit_key, attempts, progress, run_id, root_run_id, created_at, run_at)
            SELECT id, node, task, dag, arguments, queue, priority, max_attempts, backoff_initial_ms,
                   backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, dependency_mode, status, limit_key,
                   0, 0, ?, ?, ?, ?
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::smallint[], ?::integer[],
                        ?::bigint[], ?::double precision[], ?::bigint[], ?::double precision[], ?::bigint[], ?::text[],
                        ?::text[], ?::text[])
                 AS u(id, node, task, dag, arguments, queue, priority, max_attempts, backoff_initial_ms,
                      backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, dependency_mode, status,
                      limit_key)""";
    private static final String[] JOB_TYPES = {"bigint", "text", "text", "text", "text", "text", "smallint", "integer",
        "bigint", "float8", "bigint", "float8", "bigint", "text", "text", "text"};

    private RunWriter() {
    }

    static RunInserted insert(Statements statements, RunPlan plan) throws SQLException {
        if (plan.idempotencyKey() != null) {
            RunInserted existing = RunSql.existing(statements, plan);
            if (existing != null) {
                return existing;
            }
        }
        long runId = Ids.take(statements, Ids.RUNS, 1)[0];
        int count = plan.tasks().size();
        long[] jobIds = Ids.take(statements, Ids.JOBS, count);
        long root = RunSql.rootOf(statements, plan.parentJobId(), runId);
        RunSql.insertRunRow(statements, plan, runId, root, jobIds);
        if (count > 0) {
            insertJobs(statements, plan, runId, root, jobIds);
            insertDependencies(statements, plan, jobIds);
            plan.tasks().stream().filter(task -> task.parents().length == 0)
                    .forEach(task -> statements.publication().due(task.queue(), plan.createdAt()));
        }
        return new RunInserted(runId, jobIds, false);
    }



    private static void insertJobs(Statements statements, RunPlan plan, long runId, long root, long[] jobIds)
            throws SQLException {
        List<PlannedTask> tasks = plan.tasks();
        Object[][] columns = new Object[JOB_TYPES.length][tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            PlannedTask task = tasks.get(i);
            boolean root0 = task.parents().length == 0;
            Object[] row = {jobIds[i], task.node(), task.task(), DagTaskName.dagOf(task.task()), task.argumentsJson(),
                task.queue(), (short) task.priority(), task.maxAttempts(), task.backoff().initialMillis(),
                task.backoff().multiplier(), task.backoff().maxMillis(), task.backoff().jitter(),
                task.timeout() == null ? null : task.timeout().toMillis(), root0 ? null : task.mode().dbName(),
                root0 ? "pending" : "blocked", task.limitKey()};
            for (int column = 0; column < row.length; column++) {
                columns[column][i] = row[column];
            }
        }
        PreparedStatement insert = statements.prepare(INSERT_JOBS);
        insert.setLong(1, runId);
        insert.setLong(2, root);
        SqlValues.setTimestamp(insert, 3, plan.createdAt());
        SqlValues.setTimestamp(insert, 4, plan.createdAt());
        for (int column = 0; column < JOB_TYPES.length; column++) {
            insert.setArray(5 + column, statements.array(JOB_TYPES[column], columns[column]));
        }
        insert.executeUpdate();
    }

    private static void insertDependencies(Statements statements, RunPlan plan, long[] jobIds) throws SQLException {
        int edges = 0;
        for (PlannedTask task : plan.tasks()) {
            edges += task.parents().length;
        }
        if (edges == 0) {
            return;
        }
        Long[] children = new Long[edges];
        Long[] parents = new Long[edges];
        int next = 0;
        for (int child = 0; child < plan.tasks().size(); child++) {
            for (int parent : plan.tasks().get(child).parents()) {
                children[next] = jobIds[child];
                parents[next++] = jobIds[parent];
            }
        }
        PreparedStatement insert = statements.prepare("INSERT INTO job_dependencies (child_id, parent_id)"
                + " SELECT * FROM unnest(?::bigint[], ?::bigint[]) ON CONFLICT DO NOTHING");
        insert.setArray(1, statements.array("bigint", children));
        insert.setArray(2, statements.array("bigint", parents));
        insert.executeUpdate();
    }
}
