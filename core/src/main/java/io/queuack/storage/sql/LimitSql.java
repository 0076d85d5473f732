package io.queuack.storage.sql;

import io.queuack.job.JobLimit;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import io.queuack.storage.QueueClaim;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Statements on limits that the SQL stores run alike, in the caller's transaction: the stored limits
 * ({@code job_limits}), what they count (running jobs, and the starts log {@code limit_starts}), and the choice of
 * the jobs a claim may take under them.
 */
public final class LimitSql {

    /** Starts written per INSERT. */
    private static final int STARTS_PER_INSERT = 100;
    /** Where a job is claimable by the caller; parameters: queue, now, now, tasks, dags, session. */
    private static final String CLAIMABLE = "queue = ? AND status IN ('pending', 'failed') AND run_at <= ?"
            + " AND (expires_at IS NULL OR expires_at > ?) AND (task = ANY(?) OR dag = ANY(?))"
            + " AND (session_id IS NULL OR session_id = ?)";
    private static final String ORDER = "priority DESC, run_at, id";

    private LimitSql() {
    }

    /** Stores a limit, replacing the one of the same scope and name. */
    public static void put(StatementSource statements, JobLimit limit, Instant now) throws SQLException {
        PreparedStatement upsert = statements.prepare("INSERT INTO job_limits (scope, name, max_running, max_starts,"
                + " window_ms, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, name) DO UPDATE SET"
                + " max_running = excluded.max_running, max_starts = excluded.max_starts, window_ms = excluded.window_ms,"
                + " updated_at = excluded.updated_at");
        upsert.setString(1, limit.scope().label());
        upsert.setString(2, limit.name());
        upsert.setInt(3, limit.maxRunning());
        upsert.setInt(4, limit.maxStarts());
        SqlValues.setNullableLong(upsert, 5, SqlValues.millis(limit.per()));
        SqlValues.setTimestamp(upsert, 6, now);
        upsert.executeUpdate();
    }

    public static boolean delete(StatementSource statements, JobLimit.Scope scope, String name) throws SQLException {
        PreparedStatement delete = statements.prepare("DELETE FROM job_limits WHERE scope = ? AND name = ?");
        delete.setString(1, scope.label());
        delete.setString(2, name);
        return delete.executeUpdate() == 1;
    }

    /** @return every stored limit, by scope and name */
    public static List<JobLimit> all(StatementSource statements) throws SQLException {
        List<JobLimit> limits = new ArrayList<>();
        try (ResultSet rs = statements.prepare("SELECT scope, name, max_running, max_starts, window_ms FROM job_limits"
                + " ORDER BY scope, name").executeQuery()) {
            while (rs.next()) {
                JobLimit limit = JobLimit.of(JobLimit.Scope.of(rs.getString(1)), rs.getString(2));
                if (rs.getInt(3) > 0) {
                    limit = limit.maxRunning(rs.getInt(3));
                }
                if (rs.getInt(4) > 0) {
                    limit = limit.maxStarts(rs.getInt(4), Duration.ofMillis(rs.getLong(5)));
                }
                limits.add(limit);
            }
        }
        return limits;
    }

    /** @return what {@code limits} count at {@code now} (nothing when there are none) */
    public static LimitUsage usage(StatementSource statements, List<JobLimit> limits, Instant now) throws SQLException {
        if (limits.isEmpty()) {
            return LimitUsage.NONE;
        }
        LimitGate index = LimitGate.of(limits, LimitUsage.NONE, now);
        Set<String> queues = new HashSet<>();
        Set<String> tasks = new HashSet<>();
        boolean rates = false;
        for (JobLimit limit : limits) {
            (limit.scope() == JobLimit.Scope.QUEUE ? queues : tasks).add(limit.name());
            rates |= limit.maxStarts() > 0;
        }
        PreparedStatement select = statements.prepare("SELECT queue, task, limit_key, count(*) FROM jobs"
                + " WHERE status = 'running' AND (queue = ANY(?) OR task = ANY(?)"
                + (index.hasKeyLimits() ? " OR limit_key IS NOT NULL" : "") + ") GROUP BY queue, task, limit_key");
        select.setArray(1, statements.array("VARCHAR", queues.toArray()));
        select.setArray(2, statements.array("VARCHAR", tasks.toArray()));
        Map<String, Integer> running = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                int count = rs.getInt(4);
                running.merge(LimitGate.subject(JobLimit.Scope.QUEUE, rs.getString(1)), count, Integer::sum);
                running.merge(LimitGate.subject(JobLimit.Scope.TASK, rs.getString(2)), count, Integer::sum);
                if (index.keyLimit(rs.getString(3)) != null) {
                    running.merge(LimitGate.subject(JobLimit.Scope.KEY, rs.getString(3)), count, Integer::sum);
                }
            }
        }
        return new LimitUsage(running, rates ? starts(statements, now) : Map.of());
    }

    private static Map<String, LimitUsage.Starts> starts(StatementSource statements, Instant now) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT subject, sum(starts), min(expires_at) FROM limit_starts"
                + " WHERE expires_at > ? GROUP BY subject");
        SqlValues.setTimestamp(select, 1, now);
        Map<String, LimitUsage.Starts> starts = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                starts.put(rs.getString(1), new LimitUsage.Starts(rs.getInt(2), SqlValues.instant(rs, 3)));
            }
        }
        return starts;
    }

    /** Records the starts that rate limits count, per bucket, and forgets buckets whose window ended by {@code now}. */
    public static void recordStarts(StatementSource statements, List<LimitUsage.Start> starts, Instant now)
            throws SQLException {
        if (starts.isEmpty()) {
            return;
        }
        Map<LimitUsage.Start, Integer> buckets = new LinkedHashMap<>();
        starts.forEach(start -> buckets.merge(start, 1, Integer::sum));
        List<Map.Entry<LimitUsage.Start, Integer>> rows = new ArrayList<>(buckets.entrySet());
        for (int from = 0; from < rows.size(); from += STARTS_PER_INSERT) {
            List<Map.Entry<LimitUsage.Start, Integer>> chunk = rows.subList(from, Math.min(rows.size(),
                    from + STARTS_PER_INSERT));
            PreparedStatement upsert = statements.prepare("INSERT INTO limit_starts (subject, bucket, starts, expires_at)"
                    + " VALUES " + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?)"))
                    + " ON CONFLICT (subject, bucket) DO UPDATE SET starts = limit_starts.starts + excluded.starts");
            int parameter = 1;
            for (Map.Entry<LimitUsage.Start, Integer> row : chunk) {
                upsert.setString(parameter++, row.getKey().subject());
                SqlValues.setTimestamp(upsert, parameter++, row.getKey().bucket());
                upsert.setInt(parameter++, row.getValue());
                SqlValues.setTimestamp(upsert, parameter++, row.getKey().expiresAt());
            }
            upsert.executeUpdate();
        }
        PreparedStatement forget = statements.prepare("DELETE FROM limit_starts WHERE expires_at <= ?");
        SqlValues.setTimestamp(forget, 1, now);
        forget.executeUpdate();
    }

    /**
     * Chooses the jobs a claim from one queue may take under the gate's limits, in claim order, counting each
     * against the gate; marks the queue held in the gate when claimable jobs were left because of a limit.
     *
     * @return the ids to claim (at most {@code claim.limit()})
     */
    public static List<Long> choose(StatementSource statements, CycleRequest request, QueueClaim claim, LimitGate gate)
            throws SQLException {
        int want = Math.min(claim.limit(), gate.queueRemaining(claim.queue()));
        List<Long> chosen = new ArrayList<>();
        boolean refused = false;
        boolean more = false;
        if (want > 0) {
            Candidates query = new Candidates(request, claim, gate);
            Set<String> fullTasks = gate.fullTasks();
            Set<String> fullKeys = gate.fullKeys();
            PreparedStatement select = statements.prepare(query.sql(!fullTasks.isEmpty(), !fullKeys.isEmpty()));
            int next = query.bindWhere(statements, select, fullTasks, fullKeys);
            int cap = gate.perSubjectCap(want);
            select.setInt(query.bindRanks(statements, select, next, cap), (int) Math.min((long) want * cap, want + 1_000L) + 1);
            try (ResultSet rs = select.executeQuery()) {
                while (chosen.size() < want && rs.next()) {
                    if (gate.admit(claim.queue(), rs.getString(2), rs.getString(3))) {
                        chosen.add(rs.getLong(1));
                    } else {
                        refused = true;
                    }
                }
                more = rs.next();
            }
        }
        if (chosen.size() < claim.limit()) {
            boolean queueBound = chosen.size() == want;
            if (refused || (queueBound && more) || anyLeft(statements, request, claim, gate, queueBound)) {
                gate.held(claim.queue());
            }
        }
        return chosen;
    }

    /**
     * @return whether a claimable job is left that a full limit holds back: any at all when the queue's own limit
     *         bounded the claim, else one of a task or key that is full now
     */
    private static boolean anyLeft(StatementSource statements, CycleRequest request, QueueClaim claim, LimitGate gate,
                                   boolean queueBound) throws SQLException {
        Set<String> fullTasks = queueBound ? Set.of() : gate.fullTasks();
        Set<String> fullKeys = queueBound ? Set.of() : gate.fullKeys();
        if (!queueBound && fullTasks.isEmpty() && fullKeys.isEmpty()) {
            return false;
        }
        Candidates query = new Candidates(request, claim, gate);
        PreparedStatement select = statements.prepare("SELECT 1 FROM jobs WHERE " + query.where()
                + (queueBound ? "" : " AND (task = ANY(?) OR limit_key = ANY(?))") + " LIMIT 1");
        int next = query.bindWhere(statements, select, Set.of(), Set.of());
        if (!queueBound) {
            select.setArray(next++, statements.array("VARCHAR", fullTasks.toArray()));
            select.setArray(next, statements.array("VARCHAR", fullKeys.toArray()));
        }
        try (ResultSet rs = select.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * The candidate query of a limited claim: claimable jobs in claim order, without those of full tasks and keys,
     * and (so that one long backlog does not crowd out the rest) no more than a cap per limited key and per limited
     * task.
     */
    private record Candidates(CycleRequest request, QueueClaim claim, LimitGate gate) {

        String where() {
            return CLAIMABLE + (request.rootRunId() == null ? "" : " AND root_run_id = ?");
        }

        private boolean rankKeys() {
            return gate.hasKeyLimits();
        }

        private boolean rankTasks() {
            return !gate.limitedTasks().isEmpty();
        }

        String sql(boolean excludeTasks, boolean excludeKeys) {
            StringBuilder sql = new StringBuilder("SELECT id, task, limit_key FROM (SELECT id, task, limit_key, priority,"
                    + " run_at");
            if (rankKeys()) {
                sql.append(", row_number() OVER (PARTITION BY limit_key ORDER BY ").append(ORDER).append(") AS key_rank");
            }
            if (rankTasks()) {
                sql.append(", row_number() OVER (PARTITION BY task ORDER BY ").append(ORDER).append(") AS task_rank");
            }
            sql.append(" FROM jobs WHERE ").append(where());
            sql.append(excludeTasks ? " AND NOT (task = ANY(?))" : "");
            sql.append(excludeKeys ? " AND (limit_key IS NULL OR NOT (limit_key = ANY(?)))" : "");
            sql.append(") candidates WHERE true");
            if (rankKeys()) {
                sql.append(" AND (limit_key IS NULL OR key_rank <= ? OR NOT (limit_key = ANY(?)");
                gate.limitedKeyPrefixes().forEach(prefix -> sql.append(" OR starts_with(limit_key, ?)"));
                sql.append("))");
            }
            sql.append(rankTasks() ? " AND (task_rank <= ? OR NOT (task = ANY(?)))" : "");
            return sql.append(" ORDER BY ").append(ORDER).append(" LIMIT ?").toString();
        }

        /** Binds the claimable filter and the exclusions (when not empty). @return the next parameter index */
        int bindWhere(StatementSource statements, PreparedStatement select, Set<String> fullTasks, Set<String> fullKeys)
                throws SQLException {
            select.setString(1, claim.queue());
            SqlValues.setTimestamp(select, 2, request.now());
            SqlValues.setTimestamp(select, 3, request.now());
            select.setArray(4, statements.array("VARCHAR", request.tasks().toArray()));
            select.setArray(5, statements.array("VARCHAR", request.dags().toArray()));
            select.setString(6, request.sessionId());
            int next = 7;
            if (request.rootRunId() != null) {
                select.setLong(next++, request.rootRunId());
            }
            if (!fullTasks.isEmpty()) {
                select.setArray(next++, statements.array("VARCHAR", fullTasks.toArray()));
            }
            if (!fullKeys.isEmpty()) {
                select.setArray(next++, statements.array("VARCHAR", fullKeys.toArray()));
            }
            return next;
        }

        /** Binds the caps per limited key and task from parameter {@code next} on. @return the next parameter index */
        int bindRanks(StatementSource statements, PreparedStatement select, int next, int cap) throws SQLException {
            if (rankKeys()) {
                select.setInt(next++, cap);
                select.setArray(next++, statements.array("VARCHAR", gate.limitedKeys().toArray()));
                for (String prefix : gate.limitedKeyPrefixes()) {
                    select.setString(next++, prefix);
                }
            }
            if (rankTasks()) {
                select.setInt(next++, cap);
                select.setArray(next++, statements.array("VARCHAR", gate.limitedTasks().toArray()));
            }
            return next;
        }
    }
}
