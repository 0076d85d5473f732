package io.queuack.storage.sql;

import io.queuack.job.Job;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.RunStatus;
import io.queuack.job.Throughput;
import io.queuack.storage.RunRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The read-only queries of the SQL stores (their SQL is the same on DuckDB and PostgreSQL). The caller holds
 * the transaction; statements come from its {@link StatementSource}.
 */
public final class JobReads {

    private static final String RUN_COLUMNS = "id, dag, status, parameters, options, parent_job_id, root_run_id,"
            + " created_at, finished_at, task_count, unfinished";

    private final StatementSource statements;

    public JobReads(StatementSource statements) {
        this.statements = statements;
    }

    public Optional<Job> find(long jobId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + SqlValues.JOB_COLUMNS + " FROM jobs WHERE id = ?");
        select.setLong(1, jobId);
        List<Job> jobs = readJobs(select);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    public List<Job> find(JobQuery query) throws SQLException {
        boolean everyStatus = query.statuses().size() == JobStatus.values().length;
        StringBuilder sql = new StringBuilder("SELECT ").append(SqlValues.JOB_COLUMNS).append(" FROM jobs WHERE ")
                .append(everyStatus ? "TRUE" : "status = ANY(?)");
        if (query.queue() != null) {
            sql.append(" AND queue = ?");
        }
        if (query.task() != null) {
            sql.append(" AND task = ?");
        }
        if (query.enqueuedFrom() != null) {
            sql.append(" AND created_at >= ?");
        }
        if (query.enqueuedTo() != null) {
            sql.append(" AND created_at < ?");
        }
        if (query.idBelow() != null) {
            sql.append(" AND id < ?");
        }
        sql.append(" ORDER BY id").append(query.isNewestFirst() ? " DESC" : "").append(" LIMIT ?");
        PreparedStatement select = statements.prepare(sql.toString());
        int i = 1;
        if (!everyStatus) {
            select.setArray(i++, statements.array("VARCHAR", query.statuses().stream().map(JobStatus::dbName).toArray()));
        }
        if (query.queue() != null) {
            select.setString(i++, query.queue());
        }
        if (query.task() != null) {
            select.setString(i++, query.task());
        }
        if (query.enqueuedFrom() != null) {
            SqlValues.setTimestamp(select, i++, query.enqueuedFrom());
        }
        if (query.enqueuedTo() != null) {
            SqlValues.setTimestamp(select, i++, query.enqueuedTo());
        }
        if (query.idBelow() != null) {
            select.setLong(i++, query.idBelow());
        }
        select.setInt(i, query.limit());
        return readJobs(select);
    }

    public List<Job> runJobs(long runId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + SqlValues.JOB_COLUMNS + " FROM jobs WHERE run_id = ?"
                + " AND id BETWEEN (SELECT first_job_id FROM dag_runs WHERE id = ?)"
                + " AND (SELECT last_job_id FROM dag_runs WHERE id = ?) ORDER BY id");
        select.setLong(1, runId);
        select.setLong(2, runId);
        select.setLong(3, runId);
        return readJobs(select);
    }

    public List<long[]> runDependencies(long runId) throws SQLException {
        // first_job_id..last_job_id bounds the scans; on a store shared by several processes the range may hold
        // other runs' jobs too, so the run's own are picked by run_id
        PreparedStatement select = statements.prepare("SELECT d.child_id, d.parent_id FROM job_dependencies d"
                + " JOIN dag_runs r ON r.id = ? WHERE d.child_id BETWEEN r.first_job_id AND r.last_job_id"
                + " AND d.child_id IN (SELECT j.id FROM jobs j WHERE j.run_id = ? AND j.id BETWEEN r.first_job_id"
                + " AND r.last_job_id) ORDER BY d.child_id, d.parent_id");
        select.setLong(1, runId);
        select.setLong(2, runId);
        List<long[]> pairs = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                pairs.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return pairs;
    }

    public List<Job> upstreamJobs(long jobId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + SqlValues.JOB_COLUMNS + " FROM jobs WHERE id IN"
                + " (SELECT parent_id FROM job_dependencies WHERE child_id = ?) ORDER BY id");
        select.setLong(1, jobId);
        return readJobs(select);
    }

    private static List<Job> readJobs(PreparedStatement select) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                jobs.add(SqlValues.readJob(rs));
            }
        }
        return jobs;
    }

    public Optional<String> cachedResult(String cacheKey) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT result FROM jobs WHERE cache_key = ?"
                + " AND status = 'succeeded' ORDER BY id DESC LIMIT 1");
        select.setString(1, cacheKey);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    public Optional<RunRecord> findRun(long runId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + RUN_COLUMNS + " FROM dag_runs WHERE id = ?");
        select.setLong(1, runId);
        List<RunRecord> runs = readRuns(select);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    public List<RunRecord> findRuns(String dag, int limit) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + RUN_COLUMNS + " FROM dag_runs"
                + (dag == null ? "" : " WHERE dag = ?") + " ORDER BY id DESC LIMIT ?");
        int i = 1;
        if (dag != null) {
            select.setString(i++, dag);
        }
        select.setInt(i, limit);
        return readRuns(select);
    }

    public List<RunRecord> childRuns(long runId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + RUN_COLUMNS + " FROM dag_runs WHERE parent_job_id IN"
                + " (SELECT id FROM jobs WHERE run_id = ?) ORDER BY id");
        select.setLong(1, runId);
        return readRuns(select);
    }

    private static List<RunRecord> readRuns(PreparedStatement select) throws SQLException {
        List<RunRecord> runs = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                runs.add(new RunRecord(rs.getLong(1), rs.getString(2), RunStatus.fromDbName(rs.getString(3)),
                        rs.getString(4), rs.getString(5), SqlValues.nullableLong(rs, 6), rs.getLong(7), SqlValues.instant(rs, 8),
                        SqlValues.instant(rs, 9), rs.getInt(10), rs.getInt(11)));
            }
        }
        return runs;
    }

    public List<QueueStats> stats(Instant now) throws SQLException {
        Map<String, Map<JobStatus, Long>> counts = new TreeMap<>();
        Map<String, Long> scheduled = new HashMap<>();
        PreparedStatement select = statements.prepare("SELECT queue, status, count(*),"
                + " count(*) FILTER (WHERE status IN ('pending', 'failed') AND run_at > ?) FROM jobs"
                + " GROUP BY queue, status");
        SqlValues.setTimestamp(select, 1, now);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), q -> new EnumMap<>(JobStatus.class))
                        .put(JobStatus.fromDbName(rs.getString(2)), rs.getLong(3));
                scheduled.merge(rs.getString(1), rs.getLong(4), Long::sum);
            }
        }
        Set<String> paused = pausedQueues();
        paused.forEach(queue -> counts.computeIfAbsent(queue, q -> new EnumMap<>(JobStatus.class)));
        List<QueueStats> stats = new ArrayList<>();
        counts.forEach((queue, byStatus) -> stats.add(
                new QueueStats(queue, paused.contains(queue), byStatus, scheduled.getOrDefault(queue, 0L))));
        return stats;
    }

    public List<Throughput> throughput(Instant since) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT queue, date_trunc('minute', finished_at) AS minute,"
                + " count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status IN ('failed', 'dead'))"
                + " FROM jobs WHERE finished_at >= ? AND status IN ('succeeded', 'failed', 'dead')"
                + " GROUP BY queue, minute ORDER BY minute, queue");
        SqlValues.setTimestamp(select, 1, since);
        List<Throughput> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Throughput(rs.getString(1), SqlValues.instant(rs, 2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return rows;
    }

    public Map<String, Long> waitingCounts() throws SQLException {
        Map<String, Long> waiting = new LinkedHashMap<>();
        try (ResultSet rs = statements.prepare(
                "SELECT queue, count(*) FROM jobs WHERE status IN ('pending', 'failed') GROUP BY queue").executeQuery()) {
            while (rs.next()) {
                waiting.put(rs.getString(1), rs.getLong(2));
            }
        }
        return waiting;
    }

    public Set<String> pausedQueues() throws SQLException {
        Set<String> paused = new HashSet<>();
        try (ResultSet rs = statements.prepare("SELECT name FROM queues WHERE paused").executeQuery()) {
            while (rs.next()) {
                paused.add(rs.getString(1));
            }
        }
        return paused;
    }
}
