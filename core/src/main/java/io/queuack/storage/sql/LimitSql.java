package io.queuack.storage.sql;

import io.queuack.job.JobLimit;
import io.queuack.storage.ClaimedJob;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Statements on limits that the SQL stores run alike, in the caller's transaction: the stored limits
 * ({@code job_limits}), what they count (running jobs, and the starts log {@code limit_starts}), and the choice of
 * the jobs a claim may take under them.
 */
public final class LimitSql {

    private static final System.Logger LOG = System.getLogger(LimitSql.class.getName());
    /** Warnings about unreadable limits already given: each once, not at every claim. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Starts written per INSERT. */
    private static final int STARTS_PER_INSERT = 100;
    /** Where a job is claimable by the caller; parameters: queue, now, now, tasks, dags, session. */
    private static final String CLAIMABLE = "queue = ? AND status IN ('pending', 'failed') AND run_at <= ?"
            + " AND (expires_at IS NULL OR expires_at > ?) AND (task = ANY(?) OR dag = ANY(?))"
            + " AND (session_id IS NULL OR session_id = ?)";
    private static final String ORDER = "priority DESC, run_at, id";
    private static final String CANDIDATE = "id, task, limit_key, priority, run_at";

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
                try {
                    JobLimit limit = JobLimit.of(JobLimit.Scope.of(rs.getString(1)), rs.getString(2));
                    if (rs.getInt(3) > 0) {
                        limit = limit.maxRunning(rs.getInt(3));
                    }
                    if (rs.getInt(4) > 0) {
                        limit = limit.maxStarts(rs.getInt(4), Duration.ofMillis(rs.getLong(5)));
                    }
                    limits.add(limit.checkComplete());
                } catch (IllegalArgumentException e) {
                    String warning = "A stored limit (" + rs.getString(1) + " " + rs.getString(2) + ") is not valid and"
                            + " is passed over: " + e.getMessage() + ". Set it again with queue.limits().set(...), or"
                            + " remove it.";
                    if (WARNED.size() < 1_000 && WARNED.add(warning)) {
                        LOG.log(System.Logger.Level.WARNING, warning);
                    }
                }
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
        boolean bounds = false;
        for (JobLimit limit : limits) {
            (limit.scope() == JobLimit.Scope.QUEUE ? queues : tasks).add(limit.name());
            rates |= limit.maxStarts() > 0;
            bounds |= limit.maxRunning() > 0;
        }
        Map<String, Integer> running = bounds ? running(statements, index, queues, tasks) : Map.of();
        if (!rates) {
            return new LimitUsage(running, Map.of(), false);
        }
        Map<String, LimitUsage.Starts> starts = new HashMap<>();
        boolean expired = false;
        try (ResultSet rs = statements.prepare("SELECT subject, starts, expires_at FROM limit_starts").executeQuery()) {
            while (rs.next()) {
                Instant expiry = SqlValues.instant(rs, 3);
                if (!expiry.isAfter(now)) {
                    expired = true;
                    continue;
                }
                starts.merge(rs.getString(1), new LimitUsage.Starts(rs.getInt(2), expiry), (a, b) -> new LimitUsage.Starts(
                        a.count() + b.count(), a.firstExpiry().isBefore(b.firstExpiry()) ? a.firstExpiry() : b.firstExpiry()));
            }
        }
        return new LimitUsage(running, starts, expired);
    }

    /** @return the running jobs of the limited queues, tasks and keys, per subject */
    private static Map<String, Integer> running(StatementSource statements, LimitGate index, Set<String> queues,
                                                Set<String> tasks) throws SQLException {
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
        return running;
    }

    /**
     * Records the starts of the jobs the gate admitted that rate limits count, per bucket, and forgets buckets whose
     * window ended by {@code now} when the gate saw some.
     */
    public static void recordStarts(StatementSource statements, LimitGate gate, Instant now) throws SQLException {
        List<LimitUsage.Start> starts = gate.starts();
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
        if (gate.expiredStarts()) {
            PreparedStatement forget = statements.prepare("DELETE FROM limit_starts WHERE expires_at <= ?");
            SqlValues.setTimestamp(forget, 1, now);
            forget.executeUpdate();
        }
    }

    /** How a store claims, in the caller's transaction: the plain claim statement, and a claim of chosen ids. */
    public interface Claims {
        List<ClaimedJob> plain(QueueClaim claim) throws SQLException;

        List<ClaimedJob> chosen(List<Long> ids) throws SQLException;
    }

    /**
     * Claims from one queue that the gate's limits affect: with the plain statement and a smaller limit when only
     * the queue's own limit can hold its jobs back, else the jobs {@link #choose} admits one by one.
     */
    public static List<ClaimedJob> claim(StatementSource statements, CycleRequest request, QueueClaim claim,
                                         LimitGate gate, Claims claims) throws SQLException {
        int plain = gate.plainLimit(claim.queue(), request, claim.limit());
        if (plain < 0) {
            return claims.chosen(choose(statements, request, claim, gate));
        }
        List<ClaimedJob> got = plain == 0 ? List.of() : claims.plain(new QueueClaim(claim.queue(), plain));
        gate.claimedPlainly(claim.queue(), claim.limit(), plain, got.size());
        return got;
    }

    /**
     * Chooses the jobs a claim from one queue may take under the gate's limits, in claim order, counting each
     * against the gate; marks the queue held in the gate when claimable jobs may have been left because of a limit.
     * The candidates come from a few top-N queries, never a sort of the whole backlog by key: the first jobs no limit
     * names, the first jobs of each limited task with room, and the first job of each limited key with room (one per
     * key and claim, so that one key's long backlog does not crowd out the others).
     *
     * @return the ids to claim (at most {@code claim.limit()})
     */
    private static List<Long> choose(StatementSource statements, CycleRequest request, QueueClaim claim, LimitGate gate)
            throws SQLException {
        int want = Math.min(claim.limit(), gate.queueRemaining(claim.queue()));
        List<Long> chosen = new ArrayList<>();
        boolean leftBehind = false;
        if (want > 0) {
            Set<String> fullKeys = gate.fullKeys();
            List<Candidate> candidates = new ArrayList<>();
            Query free = new Query(request, claim).and("NOT (task = ANY(?))", gate.limitedTasks());
            if (gate.hasKeyLimits()) {
                free.and("(limit_key IS NULL OR NOT " + keyCondition(gate.keyLimits()) + ")",
                        keyValues(gate.keyLimits()));
            }
            leftBehind = free.fetch(statements, want, candidates);
            for (String task : gate.limitedTasks()) {
                int room = Math.min(want, gate.taskRemaining(task));
                if (room > 0 && request.offers(task)) {
                    Query limited = new Query(request, claim).and("task = ?", task);
                    if (!fullKeys.isEmpty()) {
                        limited.and("(limit_key IS NULL OR NOT (limit_key = ANY(?)))", fullKeys);
                    }
                    leftBehind |= limited.fetch(statements, room, candidates);
                }
            }
            for (Map.Entry<Integer, List<JobLimit>> group : byRoom(gate, want).entrySet()) {
                Query keyed = new Query(request, claim).and("NOT (task = ANY(?))", gate.limitedTasks())
                        .and(keyCondition(group.getValue()), keyValues(group.getValue()));
                if (!fullKeys.isEmpty()) {
                    keyed.and("NOT (limit_key = ANY(?))", fullKeys);
                }
                leftBehind |= keyed.fetchPerKey(statements, group.getKey(), want, candidates);
            }
            candidates.sort(CLAIM_ORDER);
            Set<Long> seen = new HashSet<>();
            for (Candidate candidate : candidates) {
                if (!seen.add(candidate.id())) {
                    continue;                       // found by two queries (a key under a pattern and a limit of its own)
                }
                if (chosen.size() == want) {
                    leftBehind = true;
                    break;
                }
                if (gate.admit(claim.queue(), candidate.task(), candidate.key())) {
                    chosen.add(candidate.id());
                } else {
                    leftBehind = true;
                }
            }
        }
        if (chosen.size() < claim.limit() && (leftBehind || anyLeft(statements, request, claim, gate, chosen.size() == want))) {
            gate.held(claim.queue());
        }
        return chosen;
    }

    /** A claimable job a limited claim may take. */
    private record Candidate(long id, String task, String key, int priority, Instant runAt) {
    }

    private static final Comparator<Candidate> CLAIM_ORDER = Comparator.comparingInt((Candidate c) -> -c.priority())
            .thenComparing(Candidate::runAt).thenComparingLong(Candidate::id);

    /**
     * @return the key limits by how many jobs of one key a claim can take at most under them (their bound, capped by
     *         what the claim wants)
     */
    private static Map<Integer, List<JobLimit>> byRoom(LimitGate gate, int want) {
        Map<Integer, List<JobLimit>> groups = new TreeMap<>();
        for (JobLimit limit : gate.keyLimits()) {
            int bound = limit.maxRunning() > 0 ? limit.maxRunning() : limit.maxStarts();
            groups.computeIfAbsent(Math.min(want, bound), room -> new ArrayList<>()).add(limit);
        }
        return groups;
    }

    /** @return the condition that a job's key is one of {@code limits} names (its parameters: {@link #keyValues}) */
    private static String keyCondition(List<JobLimit> limits) {
        StringBuilder condition = new StringBuilder("(limit_key = ANY(?)");
        limits.stream().filter(JobLimit::isPattern).forEach(limit -> condition.append(" OR starts_with(limit_key, ?)"));
        return condition.append(")").toString();
    }

    private static Object[] keyValues(List<JobLimit> limits) {
        List<Object> values = new ArrayList<>();
        values.add(limits.stream().filter(limit -> !limit.isPattern()).map(JobLimit::name).toList());
        limits.stream().filter(JobLimit::isPattern).forEach(limit -> values.add(limit.name().substring(0,
                limit.name().length() - 1)));
        return values.toArray();
    }

    /**
     * @return whether a claimable job is left that a full limit holds back: any at all when the queue's own limit
     *         bounded the claim, else one of a task or key that is full now
     */
    private static boolean anyLeft(StatementSource statements, CycleRequest request, QueueClaim claim, LimitGate gate,
                                   boolean queueBound) throws SQLException {
        Query left = new Query(request, claim);
        if (!queueBound) {
            Set<String> fullTasks = gate.fullTasks();
            Set<String> fullKeys = gate.fullKeys();
            if (fullTasks.isEmpty() && fullKeys.isEmpty()) {
                return false;
            }
            left.and("(task = ANY(?) OR limit_key = ANY(?))", fullTasks, fullKeys);
        }
        try (ResultSet rs = left.prepare(statements, "SELECT 1 FROM jobs WHERE ", " LIMIT 1").executeQuery()) {
            return rs.next();
        }
    }

    /** A query over the claimable jobs of one claim, with conditions added; parameters are bound in order. */
    private static final class Query {
        private final StringBuilder where = new StringBuilder(CLAIMABLE);
        private final List<Object> values = new ArrayList<>();

        Query(CycleRequest request, QueueClaim claim) {
            values.addAll(List.of(claim.queue(), request.now(), request.now(), request.tasks(), request.dags(),
                    request.sessionId()));
            if (request.rootRunId() != null) {
                and("root_run_id = ?", request.rootRunId());
            }
        }

        Query and(String condition, Object... parameters) {
            where.append(" AND ").append(condition);
            values.addAll(List.of(parameters));
            return this;
        }

        PreparedStatement prepare(StatementSource statements, String head, String tail) throws SQLException {
            return prepareSql(statements, head + where + tail);
        }

        /** Prepares {@code sql}, which holds this query's conditions once, and binds their parameters. */
        PreparedStatement prepareSql(StatementSource statements, String sql) throws SQLException {
            PreparedStatement select = statements.prepare(sql);
            int index = 1;
            for (Object value : values) {
                if (value instanceof Instant time) {
                    SqlValues.setTimestamp(select, index++, time);
                } else if (value instanceof Collection<?> many) {
                    select.setArray(index++, statements.array("VARCHAR", many.toArray()));
                } else if (value instanceof Long number) {
                    select.setLong(index++, number);
                } else if (value instanceof Integer number) {
                    select.setInt(index++, number);
                } else {
                    select.setString(index++, (String) value);
                }
            }
            return select;
        }

        /** Adds the first {@code most} matching jobs in claim order. @return whether there were more */
        boolean fetch(StatementSource statements, int most, List<Candidate> into) throws SQLException {
            values.add(most + 1);
            return read(prepare(statements, "SELECT " + CANDIDATE + " FROM jobs WHERE ", " ORDER BY " + ORDER
                    + " LIMIT ?"), most, into);
        }

        /**
         * Adds the first {@code perKey} matching jobs of each key, the first {@code most} of them in claim order (one
         * per key: DISTINCT ON; more: a rank within each key). @return whether there were more
         */
        boolean fetchPerKey(StatementSource statements, int perKey, int most, List<Candidate> into) throws SQLException {
            String inner;
            if (perKey == 1) {
                inner = "SELECT DISTINCT ON (limit_key) " + CANDIDATE + " FROM jobs WHERE " + where + " ORDER BY limit_key, "
                        + ORDER;
            } else {
                inner = "SELECT " + CANDIDATE + " FROM (SELECT " + CANDIDATE + ", row_number() OVER (PARTITION BY limit_key"
                        + " ORDER BY " + ORDER + ") AS key_rank FROM jobs WHERE " + where + ") ranked WHERE key_rank <= "
                        + perKey;
            }
            values.add(most + 1);
            return read(prepareSql(statements, "SELECT " + CANDIDATE + " FROM (" + inner + ") per_key ORDER BY " + ORDER
                    + " LIMIT ?"), most, into);
        }

        private static boolean read(PreparedStatement select, int most, List<Candidate> into) throws SQLException {
            int rows = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (++rows <= most) {
                        into.add(new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                SqlValues.instant(rs, 5)));
                    }
                }
            }
            return rows > most;
        }
    }
}
