package io.queuack.storage.postgres;

import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.JobTransition;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import io.queuack.storage.ProgressUpdate;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.StoreListener.StoredProgress;
import io.queuack.storage.sql.AttemptSql;
import io.queuack.storage.sql.JobSql;
import io.queuack.storage.sql.LimitSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A worker pool's round trip in one transaction: starts, outcomes (one UPDATE over arrays, fenced by status,
 * owner and attempt, so a pool whose lease ran out and whose job another host re-claimed cannot acknowledge
 * it), progress, lease renewal, claims (one {@code UPDATE ... FROM (SELECT ... FOR UPDATE SKIP LOCKED)} per
 * queue, so pools of many processes claim different jobs without waiting for each other), and last the
 * settlement of the DAG runs the outcomes touch. Tasks it unblocks are claimed by the next round trip.
 */
final class CycleWriter {

    private static final String STAGED = """
            unnest(?::bigint[], ?::integer[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[],
                   ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
            AS c(id, attempt, status, released, started_at, finished_at, result, error_type, error_message,
                 error_trace, run_at, cache_key, reused)""";
    private static final String[] STAGED_TYPES = {"bigint", "integer", "text", "boolean", "text", "text", "text",
        "text", "text", "text", "text", "text", "boolean"};

    /**
     * The fence of an outcome: the job still runs, held by this pool, in this attempt. Written as one row
     * comparison on purpose: as separate predicates the planner may scan the pool's running jobs through the
     * partial index on (owner) and look each up in the outcomes array (quadratic: 200 ms for 500 outcomes);
     * as a row comparison nothing but the primary key serves it, so each outcome finds its job by id.
     */
    private static final String FENCE = "(jobs.status, jobs.owner, jobs.attempts) = ('running', ?, c.attempt) IS TRUE";

    private static final String APPLY = """
            UPDATE jobs SET
                status = c.status,
                attempts = CASE WHEN c.released THEN jobs.attempts - 1 ELSE jobs.attempts END,
                started_at = CASE WHEN c.released THEN jobs.started_at ELSE c.started_at::timestamp END,
                finished_at = CASE WHEN c.released THEN jobs.finished_at ELSE c.finished_at::timestamp END,
                result = CASE WHEN c.status = 'succeeded' THEN c.result ELSE jobs.result END,
                progress = CASE WHEN c.status = 'succeeded' THEN 1 ELSE jobs.progress END,
                error_type = coalesce(c.error_type, jobs.error_type),
                error_message = CASE WHEN c.error_type IS NULL THEN jobs.error_message ELSE c.error_message END,
                error_trace = CASE WHEN c.error_type IS NULL THEN jobs.error_trace ELSE c.error_trace END,
                cache_key = coalesce(c.cache_key, jobs.cache_key),
                message = CASE WHEN c.reused THEN ? ELSE jobs.message END,
                reused = c.reused,
                run_at = coalesce(c.run_at::timestamp, jobs.run_at),
                owner = NULL,
                lease_until = NULL
            FROM %s
            WHERE jobs.id = c.id AND %s
            RETURNING jobs.id, jobs.run_id, jobs.status, jobs.queue, jobs.task, c.attempt, jobs.run_at""".formatted(
            STAGED, FENCE);

    private static final String TAKE = """
            WITH picked AS (%s)
            UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, owner = ?, worker = ?, lease_until = ?
            FROM picked WHERE jobs.id = picked.id
            RETURNING jobs.id, jobs.queue, jobs.task, jobs.arguments, jobs.priority, jobs.attempts, jobs.max_attempts,
                      jobs.backoff_initial_ms, jobs.backoff_multiplier, jobs.backoff_max_ms, jobs.backoff_jitter,
                      jobs.timeout_ms, jobs.run_at, jobs.run_id, jobs.node, jobs.unstarted_losses > 0""";
    private static final String CLAIM = TAKE.formatted("""
                SELECT id FROM jobs
                WHERE queue = ? AND status IN ('pending', 'failed') AND run_at <= ?
                  AND (expires_at IS NULL OR expires_at > ?)
                  AND (task = ANY(?) OR dag = ANY(?))
                  AND (session_id IS NULL OR session_id = ?) %s
                ORDER BY priority DESC, run_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED""");
    private static final String CLAIM_ANY = CLAIM.formatted("");
    private static final String CLAIM_IN_TREE = CLAIM.formatted("AND root_run_id = ?");
    /** Claims the jobs a limited claim chose (under the limits lock), those still waiting. */
    private static final String CLAIM_CHOSEN = TAKE.formatted(
            "SELECT id FROM jobs WHERE id = ANY(?) AND status IN ('pending', 'failed') FOR UPDATE");
    /**
     * Claims of limited jobs take turns across every process of the schema: each counts what the limits count only
     * once the previous one committed. Released at the end of the transaction.
     */
    private static final String LIMITS_LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.queuack_limits'))";

    /** The claim order, which RETURNING does not keep. */
    private static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob job) -> -job.priority()).thenComparing(ClaimedJob::dueAt)
            .thenComparingLong(ClaimedJob::id);

    private CycleWriter() {
    }

    static CycleResult cycle(Statements statements, CycleRequest request) throws SQLException {
        storeStarts(statements, request);
        List<Settlement.Finished> finishedTasks = new ArrayList<>();
        Set<Long> completed = complete(statements, request, finishedTasks);
        saveProgress(statements, request);
        Set<Long> renewed = request.renewLeases() ? JobSql.renewLeases(statements, request) : null;
        List<ClaimedJob> claimed = new ArrayList<>();
        LimitGate gate = null;
        if ((!request.tasks().isEmpty() || !request.dags().isEmpty()) && !request.claims().isEmpty()) {
            List<JobLimit> limits = LimitSql.all(statements);
            LimitGate probe = limits.isEmpty() ? null : LimitGate.of(limits, LimitUsage.NONE, request.now());
            for (QueueClaim claim : request.claims()) {
                if (gate == null && probe != null && probe.affects(claim.queue(), request)) {
                    statements.prepare(LIMITS_LOCK).execute();
                    gate = LimitGate.of(limits, LimitSql.usage(statements, limits, request.now()), request.now());
                }
                claimed.addAll(gate == null || !gate.affects(claim.queue(), request) ? claim(statements, request, claim)
                        : LimitSql.claim(statements, request, claim, gate, new LimitSql.Claims() {
                            @Override
                            public List<ClaimedJob> plain(QueueClaim smaller) throws SQLException {
                                return claim(statements, request, smaller);
                            }

                            @Override
                            public List<ClaimedJob> chosen(List<Long> ids) throws SQLException {
                                return claimChosen(statements, request, ids);
                            }
                        }));
            }
            if (gate != null) {
                LimitSql.recordStarts(statements, gate, request.now());
            }
        }
        // last, so that the runs it locks stay locked only until the commit that follows at once: pools of
        // other processes settling the same run wait that long, not for this whole round trip
        Changes cascaded = Settlement.afterFinished(statements, finishedTasks, request.now());
        statements.publication().changes(cascaded, request.now());
        return new CycleResult(completed, renewed, claimed, cascaded).heldBy(gate);
    }

    private static void storeStarts(Statements statements, CycleRequest request) throws SQLException {
        if (request.started().isEmpty()) {
            return;
        }
        PreparedStatement update = statements.prepare("UPDATE jobs SET started_attempt = attempts"
                + " WHERE id = ANY(?) AND status = 'running' AND owner = ?");
        update.setArray(1, statements.array("bigint", request.started().stream().sorted().toArray()));
        update.setString(2, request.owner());
        update.executeUpdate();
    }

    private static Set<Long> complete(Statements statements, CycleRequest request,
                                      List<Settlement.Finished> finishedTasks) throws SQLException {
        Set<Long> completed = new HashSet<>();
        List<Completion> completions = new ArrayList<>(request.completions());
        if (completions.isEmpty()) {
            return completed;
        }
        completions.sort(Comparator.comparingLong(Completion::jobId));
        Object[][] columns = new Object[STAGED_TYPES.length][completions.size()];
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            JobError error = c.error();
            Object[] row = {c.jobId(), c.attempt(), c.status().dbName(), c.released(), Columns.time(c.startedAt()),
                Columns.time(c.finishedAt()), c.resultJson(), error == null ? null : error.type(),
                error == null ? null : error.message(), error == null ? null : error.stackTrace(),
                Columns.time(c.runAt()), c.cacheKey(), c.reused()};
            for (int column = 0; column < row.length; column++) {
                columns[column][i] = row[column];
            }
        }
        PreparedStatement update = statements.prepare(APPLY);
        update.setString(1, Completion.REUSED_MESSAGE);
        for (int column = 0; column < STAGED_TYPES.length; column++) {
            update.setArray(2 + column, statements.array(STAGED_TYPES[column], columns[column]));
        }
        update.setString(2 + STAGED_TYPES.length, request.owner());
        List<Long> failed = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                completed.add(rs.getLong(1));
                Long runId = SqlValues.nullableLong(rs, 2);
                JobStatus status = JobStatus.fromDbName(rs.getString(3));
                if (status == JobStatus.FAILED || status == JobStatus.DEAD) {
                    failed.add(rs.getLong(1));
                }
                statements.publication().job(new JobTransition(rs.getLong(1), rs.getString(4), rs.getString(5),
                        JobStatus.RUNNING, status, rs.getInt(6), null));
                if (JobStatus.WAITING.contains(status)) {
                    statements.publication().due(rs.getString(4), SqlValues.instant(rs, 7));
                }
                if (runId != null && status.isTerminal()) {
                    finishedTasks.add(new Settlement.Finished(rs.getLong(1), runId, status));
                }
            }
        }
        AttemptSql.recordFailures(statements, failed);
        return completed;
    }

    private static void saveProgress(Statements statements, CycleRequest request) throws SQLException {
        if (request.progress().isEmpty()) {
            return;
        }
        List<ProgressUpdate> updates = request.progress();
        Object[] ids = updates.stream().map(ProgressUpdate::jobId).toArray();
        Object[] values = updates.stream().map(ProgressUpdate::progress).toArray();
        Object[] messages = updates.stream().map(ProgressUpdate::message).toArray();
        PreparedStatement update = statements.prepare("UPDATE jobs SET progress = p.progress, message = p.message"
                + " FROM unnest(?::bigint[], ?::double precision[], ?::text[]) AS p(id, progress, message)"
                + " WHERE jobs.id = p.id AND (jobs.status, jobs.owner) = ('running', ?) IS TRUE"
                + " RETURNING jobs.id, jobs.queue, jobs.task, jobs.progress, jobs.message");
        update.setArray(1, statements.array("bigint", ids));
        update.setArray(2, statements.array("float8", values));
        update.setArray(3, statements.array("text", messages));
        update.setString(4, request.owner());
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                statements.publication().progress(new StoredProgress(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getDouble(4), rs.getString(5)));
            }
        }
    }


    private static List<ClaimedJob> claim(Statements statements, CycleRequest request, QueueClaim claim)
            throws SQLException {
        PreparedStatement update = statements.prepare(request.rootRunId() == null ? CLAIM_ANY : CLAIM_IN_TREE);
        update.setString(1, claim.queue());
        SqlValues.setTimestamp(update, 2, request.now());
        SqlValues.setTimestamp(update, 3, request.now());
        update.setArray(4, statements.array("text", request.tasks().toArray()));
        update.setArray(5, statements.array("text", request.dags().toArray()));
        update.setString(6, request.sessionId());
        int next = 7;
        if (request.rootRunId() != null) {
            update.setLong(next++, request.rootRunId());
        }
        update.setInt(next++, claim.limit());
        return take(statements, request, update, next);
    }

    /** Claims the jobs of {@code ids} that are still waiting. */
    private static List<ClaimedJob> claimChosen(Statements statements, CycleRequest request, List<Long> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        PreparedStatement update = statements.prepare(CLAIM_CHOSEN);
        update.setArray(1, statements.array("bigint", ids.toArray()));
        return take(statements, request, update, 2);
    }

    /** Binds the owner and lease from parameter {@code next} on, runs the claim and reads what it claimed. */
    private static List<ClaimedJob> take(Statements statements, CycleRequest request, PreparedStatement update, int next)
            throws SQLException {
        update.setString(next++, request.owner());
        update.setString(next++, request.owner());
        SqlValues.setTimestamp(update, next, request.leaseUntil());
        List<ClaimedJob> claimed = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                statements.publication().job(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getInt(6) > 1 ? JobStatus.FAILED : JobStatus.PENDING, JobStatus.RUNNING, rs.getInt(6), null));
                claimed.add(new ClaimedJob(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), SqlValues.backoff(rs, 8),
                        SqlValues.duration(rs, 12), SqlValues.nullableLong(rs, 14), rs.getString(15),
                        rs.getBoolean(16), SqlValues.instant(rs, 13)));
            }
        }
        claimed.sort(CLAIM_ORDER);
        return claimed;
    }
}
