package io.queuack.storage.duckdb;

import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import io.queuack.storage.ProgressUpdate;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.sql.AttemptSql;
import io.queuack.storage.sql.JobSql;
import io.queuack.storage.sql.LimitSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A worker pool's round trip: completions are appended to a temporary table and applied with one
 * set-based UPDATE (fenced by status, owner and attempt); leases are renewed with one UPDATE;
 * each queue is claimed with one UPDATE ... RETURNING. The caller holds the transaction.
 */
final class CycleWriter {

    /** Applies staged outcomes only to jobs this pool still holds in the same attempt. */
    private static final String FROM_STAGED = """
            FROM staged_completions c
            WHERE jobs.id = c.id AND jobs.id BETWEEN ? AND ? AND jobs.status = 'running' AND jobs.owner = ?
              AND jobs.attempts = c.attempt
            RETURNING jobs.id, jobs.run_id, jobs.status""";

    private static final String APPLY_COMPLETIONS = """
            UPDATE jobs SET
                status = c.status,
                attempts = CASE WHEN c.released THEN jobs.attempts - 1 ELSE jobs.attempts END,
                started_at = CASE WHEN c.released THEN jobs.started_at ELSE c.started_at END,
                finished_at = CASE WHEN c.released THEN jobs.finished_at ELSE c.finished_at END,
                result = CASE WHEN c.status = 'succeeded' THEN c.result ELSE jobs.result END,
                progress = CASE WHEN c.status = 'succeeded' THEN 1 ELSE jobs.progress END,
                error_type = coalesce(c.error_type, jobs.error_type),
                error_message = CASE WHEN c.error_type IS NULL THEN jobs.error_message ELSE c.error_message END,
                error_trace = CASE WHEN c.error_type IS NULL THEN jobs.error_trace ELSE c.error_trace END,
                cache_key = coalesce(c.cache_key, jobs.cache_key),
                message = CASE WHEN c.reused THEN ? ELSE jobs.message END,
                reused = c.reused,
                outcome_seq = ?,
                run_at = coalesce(c.run_at, jobs.run_at),
                owner = NULL,
                lease_until = NULL
            """ + FROM_STAGED;

    /** The common case, when every outcome is a plain success: fewer columns to write. */
    private static final String APPLY_SUCCESSES = """
            UPDATE jobs SET status = 'succeeded', started_at = c.started_at, finished_at = c.finished_at,
                            result = c.result, progress = 1, owner = NULL, lease_until = NULL, outcome_seq = ?
            """ + FROM_STAGED;

    private static final String TAKE = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ?, worker = ?, lease_until = ?
            WHERE rowid IN (%s)
            RETURNING id, queue, task, arguments, priority, attempts, max_attempts, backoff_initial_ms,
                      backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, run_at, run_id, node,
                      coalesce(unstarted_losses, 0) > 0""";
    private static final String CLAIM = TAKE.formatted("""
                SELECT rowid FROM jobs
                WHERE queue = ? AND status IN ('pending', 'failed') AND run_at <= ?
                  AND (expires_at IS NULL OR expires_at > ?)
                  AND %s
                  AND (session_id IS NULL OR session_id = ?) %s
                ORDER BY priority DESC, run_at, id
                LIMIT ?""");
    /** Claims jobs a limited claim chose, by id (the id range lets DuckDB skip row groups by their min and max). */
    private static final String CLAIM_CHOSEN = TAKE.formatted(
            "SELECT rowid FROM jobs WHERE id BETWEEN ? AND ? AND id = ANY(?) AND status IN ('pending', 'failed')");
    /**
     * The claim statement for each case: indexed by (whether DAGs are registered, whether the pool runs one
     * run tree). Without DAGs the filter on the DAG column is left out: it costs a little on every row scanned.
     */
    private static final String[][] CLAIMS = {
        {CLAIM.formatted("task = ANY(?)", ""), CLAIM.formatted("task = ANY(?)", "AND root_run_id = ?")},
        {CLAIM.formatted("(task = ANY(?) OR dag = ANY(?))", ""),
         CLAIM.formatted("(task = ANY(?) OR dag = ANY(?))", "AND root_run_id = ?")}};

    /** The claim order, which RETURNING does not keep. */
    private static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob job) -> -job.priority()).thenComparing(ClaimedJob::dueAt)
            .thenComparingLong(ClaimedJob::id);

    private final Statements statements;
    private final DuckDBConnection connection;
    private final Settlement settlement;

    CycleWriter(Statements statements, Settlement settlement) {
        this.statements = statements;
        this.connection = statements.connection();
        this.settlement = settlement;
    }

    static void createStagingTable(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS staged_completions (id BIGINT, attempt INTEGER,"
                    + " status VARCHAR, released BOOLEAN, started_at TIMESTAMP, finished_at TIMESTAMP, result VARCHAR, error_type VARCHAR,"
                    + " error_message VARCHAR, error_trace VARCHAR, run_at TIMESTAMP, cache_key VARCHAR, reused BOOLEAN)");
        }
    }

    /**
     * @param outcomeSeq the number written into the {@code outcome_seq} of the jobs whose outcomes are stored
     * @param limits     the store's limits, which claims obey
     */
    CycleResult cycle(CycleRequest request, long outcomeSeq, List<JobLimit> limits) throws SQLException {
        storeStarts(request);
        List<Settlement.Finished> finishedTasks = new ArrayList<>();
        Set<Long> completed = complete(request, outcomeSeq, finishedTasks);
        Changes cascaded = settlement.afterFinished(finishedTasks, request.now());
        saveProgress(request);
        Set<Long> renewed = request.renewLeases() ? JobSql.renewLeases(statements, request) : null;
        List<ClaimedJob> claimed = new ArrayList<>();
        LimitGate gate = null;
        if (!request.tasks().isEmpty() || !request.dags().isEmpty()) {
            Array tasks = connection.createArrayOf("VARCHAR", request.tasks().toArray());
            Array dags = connection.createArrayOf("VARCHAR", request.dags().toArray());
            LimitGate probe = limits.isEmpty() ? null : LimitGate.of(limits, LimitUsage.NONE, request.now());
            for (QueueClaim claim : request.claims()) {
                if (gate == null && probe != null && probe.affects(claim.queue(), request)) {
                    gate = LimitGate.of(limits, LimitSql.usage(statements, limits, request.now()), request.now());
                }
                claimed.addAll(gate == null || !gate.affects(claim.queue(), request) ? claim(request, claim, tasks, dags)
                        : LimitSql.claim(statements, request, claim, gate, new LimitSql.Claims() {
                            @Override
                            public List<ClaimedJob> plain(QueueClaim smaller) throws SQLException {
                                return claim(request, smaller, tasks, dags);
                            }

                            @Override
                            public List<ClaimedJob> chosen(List<Long> ids) throws SQLException {
                                return claimChosen(request, ids);
                            }
                        }));
            }
        }
        if (gate != null) {
            LimitSql.recordStarts(statements, gate, request.now());
        }
        return new CycleResult(completed, renewed, claimed, cascaded).heldBy(gate);
    }

    /** Stores that the attempts of {@code started} jobs began: from now on a crash charges them. */
    private void storeStarts(CycleRequest request) throws SQLException {
        if (request.started().isEmpty()) {
            return;
        }
        PreparedStatement update = statements.prepare("UPDATE jobs SET started_attempt = attempts"
                + " WHERE id = ANY(?) AND status = 'running' AND owner = ?");
        update.setArray(1, connection.createArrayOf("BIGINT", request.started().toArray()));
        update.setString(2, request.owner());
        update.executeUpdate();
    }

    /** Stores the completions; the DAG tasks among them that reached a terminal status go to {@code finishedTasks}. */
    private Set<Long> complete(CycleRequest request, long outcomeSeq, List<Settlement.Finished> finishedTasks)
            throws SQLException {
        Set<Long> completed = new HashSet<>();
        if (request.completions().isEmpty()) {
            return completed;
        }
        long minId = Long.MAX_VALUE;
        long maxId = Long.MIN_VALUE;
        statements.prepare("DELETE FROM staged_completions").execute();
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "staged_completions")) {
            for (Completion completion : request.completions()) {
                minId = Math.min(minId, completion.jobId());
                maxId = Math.max(maxId, completion.jobId());
                JobError error = completion.error();
                appender.beginRow();
                appender.append(completion.jobId());
                appender.append(completion.attempt());
                appender.append(completion.status().dbName());
                appender.append(completion.released());
                appender.append(SqlValues.ts(completion.startedAt()));
                appender.append(SqlValues.ts(completion.finishedAt()));
                appender.append(completion.resultJson());
                appender.append(error == null ? null : error.type());
                appender.append(error == null ? null : error.message());
                appender.append(error == null ? null : error.stackTrace());
                appender.append(SqlValues.ts(completion.runAt()));
                appender.append(completion.cacheKey());
                appender.append(completion.reused());
                appender.endRow();
            }
        }
        boolean plain = request.completions().stream().allMatch(c -> c.status() == JobStatus.SUCCEEDED
                && !c.released() && c.cacheKey() == null && !c.reused());
        PreparedStatement update = statements.prepare(plain ? APPLY_SUCCESSES : APPLY_COMPLETIONS);
        int next = 1;
        if (!plain) {
            update.setString(next++, Completion.REUSED_MESSAGE);
        }
        update.setLong(next++, outcomeSeq);
        update.setLong(next++, minId);
        update.setLong(next++, maxId);
        update.setString(next, request.owner());
        List<Long> failed = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                completed.add(rs.getLong(1));
                Long runId = SqlValues.nullableLong(rs, 2);
                JobStatus status = JobStatus.fromDbName(rs.getString(3));
                if (status == JobStatus.FAILED || status == JobStatus.DEAD) {
                    failed.add(rs.getLong(1));
                }
                if (runId != null && status.isTerminal()) {
                    finishedTasks.add(new Settlement.Finished(rs.getLong(1), runId, status));
                }
            }
        }
        AttemptSql.recordFailures(statements, failed);
        return completed;
    }

    private void saveProgress(CycleRequest request) throws SQLException {
        if (request.progress().isEmpty()) {
            return;
        }
        PreparedStatement update = statements.prepare(
                "UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND status = 'running' AND owner = ?");
        for (ProgressUpdate progress : request.progress()) {
            update.setDouble(1, progress.progress());
            update.setString(2, progress.message());
            update.setLong(3, progress.jobId());
            update.setString(4, request.owner());
            update.executeUpdate();
        }
    }


    private List<ClaimedJob> claim(CycleRequest request, QueueClaim claim, Array tasks, Array dags) throws SQLException {
        boolean withDags = !request.dags().isEmpty();
        PreparedStatement update = statements.prepare(CLAIMS[withDags ? 1 : 0][request.rootRunId() == null ? 0 : 1]);
        update.setString(1, request.owner());
        update.setString(2, request.owner());
        SqlValues.setTimestamp(update, 3, request.leaseUntil());
        update.setString(4, claim.queue());
        SqlValues.setTimestamp(update, 5, request.now());
        SqlValues.setTimestamp(update, 6, request.now());
        update.setArray(7, tasks);
        int next = 8;
        if (withDags) {
            update.setArray(next++, dags);
        }
        update.setString(next++, request.sessionId());
        if (request.rootRunId() != null) {
            update.setLong(next++, request.rootRunId());
        }
        update.setInt(next, claim.limit());
        return read(update);
    }

    /** Claims the jobs of {@code ids} that are still waiting. */
    private List<ClaimedJob> claimChosen(CycleRequest request, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        PreparedStatement update = statements.prepare(CLAIM_CHOSEN);
        update.setString(1, request.owner());
        update.setString(2, request.owner());
        SqlValues.setTimestamp(update, 3, request.leaseUntil());
        update.setLong(4, ids.stream().mapToLong(Long::longValue).min().orElseThrow());
        update.setLong(5, ids.stream().mapToLong(Long::longValue).max().orElseThrow());
        update.setArray(6, connection.createArrayOf("BIGINT", ids.toArray()));
        return read(update);
    }

    /** Runs a claim and reads the claimed jobs, in claim order. */
    private static List<ClaimedJob> read(PreparedStatement update) throws SQLException {
        List<ClaimedJob> claimed = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                claimed.add(new ClaimedJob(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), SqlValues.backoff(rs, 8),
                        SqlValues.duration(rs, 12), SqlValues.nullableLong(rs, 14), rs.getString(15), rs.getBoolean(16),
                        SqlValues.instant(rs, 13)));
            }
        }
        claimed.sort(CLAIM_ORDER);
        return claimed;
    }
}
