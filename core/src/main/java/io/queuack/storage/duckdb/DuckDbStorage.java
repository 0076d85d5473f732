package io.queuack.storage.duckdb;

import io.queuack.Job;
import io.queuack.JobError;
import io.queuack.JobQuery;
import io.queuack.JobStatus;
import io.queuack.QueueClosedException;
import io.queuack.QueueLockedException;
import io.queuack.QueueStats;
import io.queuack.QueuackException;
import io.queuack.StorageException;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.JobTransition;
import io.queuack.storage.ManualTransition;
import io.queuack.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * Jobs in an embedded DuckDB database, a file or in memory.
 *
 * <p>DuckDB lets one process write a file, and its transactions conflict when several connections
 * update the same table. So this store uses a single connection, and one lock funnels every
 * operation through it; throughput comes from batching (staged appender inserts, set-based
 * completions and claims), not from parallel statements. Job ids are assigned here, in ascending
 * order, which is safe because no other process can write the file while it is open.
 */
public final class DuckDbStorage implements Storage {

    private static final Pattern LOCK_HOLDER = Pattern.compile("Conflicting lock is held in (.+?)(?:\\. See also|$)");
    private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final String description;
    private final DuckDBConnection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Statements statements;
    private final JobInserter inserter;
    private final CycleWriter cycleWriter;
    private boolean closed;

    private DuckDbStorage(Path file, String description, DuckDBConnection connection, long nextId) throws SQLException {
        this.file = file;
        this.description = description;
        this.connection = connection;
        this.statements = new Statements(connection);
        this.inserter = new JobInserter(statements, nextId);
        this.cycleWriter = new CycleWriter(statements);
    }

    /** Opens (creating if needed) a DuckDB queue file. */
    public static DuckDbStorage open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("Queue path " + absolute + " is a directory; give a file path such as "
                    + absolute.resolve("queue.duckdb"));
        }
        if (!OPEN_FILES.add(absolute)) {
            throw new QueuackException("The queue file " + absolute + " is already open in this JVM. Use that Queuack"
                    + " instance, or close it first (queue.close()); if you lost the reference, for example by re-running"
                    + " a notebook cell, Queuack.closeAll() closes every queue this JVM opened.");
        }
        try {
            createParent(absolute);
            return connect(absolute, "jdbc:duckdb:" + absolute, "DuckDB file " + absolute);
        } catch (RuntimeException e) {
            OPEN_FILES.remove(absolute);
            throw e;
        }
    }

    /** Opens a DuckDB database in memory. */
    public static DuckDbStorage inMemory() {
        return connect(null, "jdbc:duckdb:", "DuckDB in memory");
    }

    private static DuckDbStorage connect(Path file, String url, String description) {
        DuckDBConnection connection = null;
        try {
            connection = (DuckDBConnection) DriverManager.getConnection(url);
            connection.setAutoCommit(false);
            Migrations.apply(connection, description);
            JobInserter.createStagingTable(connection);
            CycleWriter.createStagingTable(connection);
            connection.commit();
            return new DuckDbStorage(file, description, connection, nextId(connection));
        } catch (SQLException e) {
            closeQuietly(connection, e);
            Matcher holder = LOCK_HOLDER.matcher(String.valueOf(e.getMessage()));
            if (file != null && holder.find()) {
                throw new QueueLockedException(file, holder.group(1), e);
            }
            String cause = String.valueOf(e.getMessage()).replaceAll("[.!\\s]+$", "");
            throw new StorageException("Cannot open " + description + ": " + cause + ". Check that the path"
                    + " names a queue file (a DuckDB database, or a path where one may be created) that this process"
                    + " can read and write.", e);
        } catch (RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    private static void createParent(Path file) {
        Path parent = file.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the folder " + parent + " for the queue file", e);
            }
        }
    }

    private static void closeQuietly(DuckDBConnection connection, Exception failure) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
        }
    }

    private static long nextId(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean isExclusive() {
        return true;
    }

    @Override
    public List<Inserted> insert(List<JobBatch> batches) {
        return inTransaction("insert jobs", () -> inserter.insert(batches));
    }

    @Override
    public CycleResult cycle(CycleRequest request) {
        return inTransaction("claim and acknowledge jobs", () -> cycleWriter.cycle(request));
    }

    @Override
    public List<JobTransition> recoverExpiredLeases(Instant now, JobError error) {
        return inTransaction("recover expired leases", () ->
                recover("status = 'running' AND lease_until <= ?", List.of(now), now, error));
    }

    @Override
    public List<JobTransition> recoverAfterRestart(String sessionId, Instant now, JobError lostWorker, JobError orphaned) {
        return inTransaction("recover jobs after a restart", () -> {
            List<JobTransition> changes = new ArrayList<>(changeAll(
                    "session_id IS NOT NULL AND session_id <> ? AND status IN ('pending', 'failed', 'running')",
                    List.of(sessionId), JobStatus.ORPHANED, now, orphaned));
            changes.addAll(recover("status = 'running'", List.of(), now, lostWorker));
            return changes;
        });
    }

    @Override
    public List<JobTransition> expire(Instant now, JobError error) {
        return inTransaction("expire jobs", () -> changeAll(
                "status IN ('pending', 'failed') AND expires_at <= ?", List.of(now), JobStatus.EXPIRED, now, error));
    }

    /** Running jobs matching {@code where} go to FAILED (due now) while attempts remain, else DEAD. */
    private List<JobTransition> recover(String where, List<Object> parameters, Instant now, JobError error)
            throws SQLException {
        List<JobTransition> changes = new ArrayList<>(changeAll(where + " AND attempts < max_attempts", parameters,
                JobStatus.FAILED, now, error));
        changes.addAll(changeAll(where + " AND attempts >= max_attempts", parameters, JobStatus.DEAD, now, error));
        return changes;
    }

    /** Moves every job matching {@code where} to {@code to}, storing {@code error}; reports each change. */
    private List<JobTransition> changeAll(String where, List<Object> parameters, JobStatus to, Instant now, JobError error)
            throws SQLException {
        List<JobTransition> changes = new ArrayList<>();
        PreparedStatement select = statements.prepare(
                "SELECT id, queue, task, status, attempts FROM jobs WHERE " + where + " ORDER BY id");
        bind(select, 1, parameters);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                changes.add(new JobTransition(rs.getLong(1), rs.getString(2), rs.getString(3),
                        JobStatus.fromDbName(rs.getString(4)), to, rs.getInt(5), error));
            }
        }
        if (changes.isEmpty()) {
            return changes;
        }
        String runAt = to == JobStatus.FAILED ? "?" : "run_at";
        PreparedStatement update = statements.prepare("UPDATE jobs SET status = ?, run_at = " + runAt
                + ", owner = NULL, lease_until = NULL, finished_at = ?, error_type = ?, error_message = ?,"
                + " error_trace = ? WHERE " + where);
        int i = 1;
        update.setString(i++, to.dbName());
        if (to == JobStatus.FAILED) {
            Sql.setTimestamp(update, i++, now);
        }
        Sql.setTimestamp(update, i++, now);
        update.setString(i++, error.type());
        update.setString(i++, error.message());
        update.setString(i++, error.stackTrace());
        bind(update, i, parameters);
        update.executeUpdate();
        return changes;
    }

    @Override
    public boolean transition(long jobId, JobStatus expected, JobStatus to, Instant now) {
        ManualTransition.check(expected, to);
        String set = to == JobStatus.CANCELLED
                ? "finished_at = ?"
                : "attempts = 0, run_at = ?, started_at = NULL, finished_at = NULL, progress = 0, message = NULL,"
                + " result = NULL";
        return inTransaction("change the status of job " + jobId, () -> {
            PreparedStatement update = statements.prepare("UPDATE jobs SET status = ?, owner = NULL,"
                    + " lease_until = NULL, " + set + " WHERE id = ? AND status = ?");
            update.setString(1, to.dbName());
            Sql.setTimestamp(update, 2, now);
            update.setLong(3, jobId);
            update.setString(4, expected.dbName());
            return update.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<Job> find(long jobId) {
        return inTransaction("read job " + jobId, () -> {
            PreparedStatement select = statements.prepare("SELECT " + Sql.JOB_COLUMNS + " FROM jobs WHERE id = ?");
            select.setLong(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Sql.readJob(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Job> find(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(Sql.JOB_COLUMNS).append(" FROM jobs WHERE status = ANY(?)");
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.statuses().stream().map(JobStatus::dbName).toArray(String[]::new));
        if (query.queue() != null) {
            sql.append(" AND queue = ?");
            parameters.add(query.queue());
        }
        if (query.task() != null) {
            sql.append(" AND task = ?");
            parameters.add(query.task());
        }
        sql.append(" ORDER BY id").append(query.isNewestFirst() ? " DESC" : "").append(" LIMIT ?");
        parameters.add(query.limit());
        return inTransaction("list jobs", () -> {
            List<Job> jobs = new ArrayList<>();
            PreparedStatement select = statements.prepare(sql.toString());
            bind(select, 1, parameters);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.add(Sql.readJob(rs));
                }
            }
            return jobs;
        });
    }

    @Override
    public List<QueueStats> stats(Instant now) {
        return inTransaction("read queue stats", () -> {
            Map<String, Map<JobStatus, Long>> counts = new TreeMap<>();
            Map<String, Long> scheduled = new HashMap<>();
            PreparedStatement select = statements.prepare("SELECT queue, status, count(*),"
                    + " count(*) FILTER (WHERE status IN ('pending', 'failed') AND run_at > ?) FROM jobs"
                    + " GROUP BY queue, status");
            Sql.setTimestamp(select, 1, now);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), q -> new EnumMap<>(JobStatus.class))
                            .put(JobStatus.fromDbName(rs.getString(2)), rs.getLong(3));
                    scheduled.merge(rs.getString(1), rs.getLong(4), Long::sum);
                }
            }
            Set<String> paused = selectPaused();
            paused.forEach(queue -> counts.computeIfAbsent(queue, q -> new EnumMap<>(JobStatus.class)));
            List<QueueStats> stats = new ArrayList<>();
            counts.forEach((queue, byStatus) -> stats.add(
                    new QueueStats(queue, paused.contains(queue), byStatus, scheduled.getOrDefault(queue, 0L))));
            return stats;
        });
    }

    @Override
    public Map<String, Long> waitingCounts() {
        return inTransaction("count waiting jobs", () -> {
            Map<String, Long> waiting = new LinkedHashMap<>();
            try (ResultSet rs = statements.prepare(
                    "SELECT queue, count(*) FROM jobs WHERE status IN ('pending', 'failed') GROUP BY queue").executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getString(1), rs.getLong(2));
                }
            }
            return waiting;
        });
    }

    @Override
    public int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) {
        String[] terminal = statuses.stream().filter(JobStatus::isTerminal).map(JobStatus::dbName).toArray(String[]::new);
        return inTransaction("purge jobs", () -> {
            PreparedStatement delete = statements.prepare("DELETE FROM jobs WHERE status = ANY(?)"
                    + " AND finished_at < ?" + (queue == null ? "" : " AND queue = ?"));
            delete.setArray(1, connection.createArrayOf("VARCHAR", terminal));
            Sql.setTimestamp(delete, 2, finishedBefore);
            if (queue != null) {
                delete.setString(3, queue);
            }
            return delete.executeUpdate();
        });
    }

    @Override
    public void setPaused(String queue, boolean paused, Instant now) {
        inTransaction("pause or resume queue " + queue, () -> {
            PreparedStatement upsert = statements.prepare("INSERT INTO queues (name, paused, updated_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET paused = excluded.paused,"
                    + " updated_at = excluded.updated_at");
            upsert.setString(1, queue);
            upsert.setBoolean(2, paused);
            Sql.setTimestamp(upsert, 3, now);
            upsert.executeUpdate();
            return null;
        });
    }

    @Override
    public Set<String> pausedQueues() {
        return inTransaction("read paused queues", this::selectPaused);
    }

    private Set<String> selectPaused() throws SQLException {
        Set<String> paused = new HashSet<>();
        try (ResultSet rs = statements.prepare("SELECT name FROM queues WHERE paused").executeQuery()) {
            while (rs.next()) {
                paused.add(rs.getString(1));
            }
        }
        return paused;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            SQLException closing = new SQLException("Closing cached statements failed");
            statements.clear(closing);
            connection.close();
            if (closing.getSuppressed().length > 0) {
                throw closing;
            }
        } catch (SQLException e) {
            throw new StorageException("Closing " + description + " failed: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                OPEN_FILES.remove(file);
            }
            lock.unlock();
        }
    }

    private void bind(PreparedStatement statement, int first, List<Object> parameters) throws SQLException {
        int index = first;
        for (Object value : parameters) {
            if (value instanceof Instant instant) {
                Sql.setTimestamp(statement, index++, instant);
            } else if (value instanceof String[] array) {
                statement.setArray(index++, connection.createArrayOf("VARCHAR", array));
            } else {
                statement.setObject(index++, value);
            }
        }
    }

    /** Work that runs inside one transaction on the store's connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} under the lock in one transaction: commit on success, roll back on failure. */
    private <T> T inTransaction(String operation, SqlWork<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new QueueClosedException("The queue store (" + description + ")");
            }
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollback(e);
            throw new StorageException("Could not " + operation + " in " + description + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Exception failure) {
        if (closed) {
            return;
        }
        statements.clear(failure);
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
