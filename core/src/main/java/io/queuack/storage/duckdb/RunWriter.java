package io.queuack.storage.duckdb;

import io.queuack.job.DagTaskName;
import io.queuack.storage.PlannedTask;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.sql.RunSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Inserts a DAG run: the run row, its tasks (staged through the appender, one INSERT ... SELECT) and its
 * dependency rows (appended), all in the caller's transaction, so no task is claimable before every
 * dependency row exists.
 */
final class RunWriter {

    private static final String JOB_COLUMNS = "id, node, task, dag, arguments, queue, priority, max_attempts,"
            + " backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, dependency_mode, status,"
            + " limit_key";

    private final Statements statements;
    private final DuckDBConnection connection;
    private final IdAllocator jobIds;
    private final IdAllocator runIds;

    RunWriter(Statements statements, IdAllocator jobIds, IdAllocator runIds) {
        this.statements = statements;
        this.connection = statements.connection();
        this.jobIds = jobIds;
        this.runIds = runIds;
    }

    static void createStagingTable(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS staged_run_jobs (id BIGINT, node VARCHAR, task VARCHAR,"
                    + " dag VARCHAR, arguments VARCHAR, queue VARCHAR, priority SMALLINT, max_attempts INTEGER, backoff_initial_ms BIGINT,"
                    + " backoff_multiplier DOUBLE, backoff_max_ms BIGINT, backoff_jitter DOUBLE, timeout_ms BIGINT,"
                    + " dependency_mode VARCHAR, status VARCHAR, limit_key VARCHAR)");
        }
    }

    RunInserted insert(RunPlan plan) throws SQLException {
        if (plan.idempotencyKey() != null) {
            RunInserted existing = RunSql.existing(statements, plan);
            if (existing != null) {
                return existing;
            }
        }
        long jobMark = jobIds.mark();
        long runMark = runIds.mark();
        try {
            long runId = runIds.take(1);
            int count = plan.tasks().size();
            long firstJob = jobIds.take(count);
            long root = RunSql.rootOf(statements, plan.parentJobId(), runId);
            long[] ids = new long[count];
            for (int i = 0; i < count; i++) {
                ids[i] = firstJob + i;
            }
            RunSql.insertRunRow(statements, plan, runId, root, ids);
            if (count > 0) {
                insertJobs(plan, runId, root, firstJob);
                insertDependencies(plan, firstJob);
            }
            return new RunInserted(runId, ids, false);
        } catch (SQLException | RuntimeException e) {
            jobIds.reset(jobMark);
            runIds.reset(runMark);
            throw e;
        }
    }



    private void insertJobs(RunPlan plan, long runId, long root, long firstJob) throws SQLException {
        statements.prepare("DELETE FROM staged_run_jobs").execute();
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "staged_run_jobs")) {
            long id = firstJob;
            for (PlannedTask task : plan.tasks()) {
                appender.beginRow();
                appender.append(id++);
                appender.append(task.node());
                appender.append(task.task());
                appender.append(DagTaskName.dagOf(task.task()));
                appender.append(task.argumentsJson());
                appender.append(task.queue());
                appender.append((short) task.priority());
                appender.append(task.maxAttempts());
                appender.append(task.backoff().initialMillis());
                appender.append(task.backoff().multiplier());
                appender.append(task.backoff().maxMillis());
                appender.append(task.backoff().jitter());
                appender.append(SqlValues.millis(task.timeout()));
                appender.append(task.parents().length == 0 ? null : task.mode().dbName());
                appender.append(task.parents().length == 0 ? "pending" : "blocked");
                appender.append(task.limitKey());
                appender.endRow();
            }
        }
        PreparedStatement insert = statements.prepare("INSERT INTO jobs (" + JOB_COLUMNS + ", attempts, progress,"
                + " run_id, root_run_id, created_at, run_at) SELECT " + JOB_COLUMNS + ", 0, 0, ?, ?, ?, ? FROM"
                + " staged_run_jobs ORDER BY id");
        insert.setLong(1, runId);
        insert.setLong(2, root);
        Instant created = plan.createdAt();
        SqlValues.setTimestamp(insert, 3, created);
        SqlValues.setTimestamp(insert, 4, created);
        insert.executeUpdate();
        statements.prepare("DELETE FROM staged_run_jobs").execute();
    }


    private void insertDependencies(RunPlan plan, long firstJob) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender("main", "job_dependencies")) {
            for (int child = 0; child < plan.tasks().size(); child++) {
                for (int parent : plan.tasks().get(child).parents()) {
                    appender.beginRow();
                    appender.append(firstJob + child);
                    appender.append(firstJob + parent);
                    appender.endRow();
                }
            }
        }
    }
}
