package io.queuack.storage.duckdb;

import io.queuack.error.QueuackException;
import io.queuack.error.QueueLockedException;
import io.queuack.error.StorageException;
import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import io.queuack.storage.Changes;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.RunRecord;
import io.queuack.storage.LimitUsage;
import io.queuack.storage.ScheduleFired;
import io.queuack.storage.ScheduleFiring;
import io.queuack.storage.ScheduleRow;
import io.queuack.storage.Storage;
import io.queuack.storage.sql.AttemptSql;
import io.queuack.storage.sql.JobReads;
import io.queuack.storage.sql.LimitSql;
import io.queuack.storage.sql.ScheduleSql;
import io.queuack.storage.sql.SqlValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * Jobs and DAG runs in an embedded DuckDB database, a file or in memory.
 *
 * <p>DuckDB lets one process write a file, and its transactions conflict when several connections
 * update the same table. So this store uses a single connection: reads take turns on it, and every
 * write goes through one funnel ({@link Transactions}) that commits what several threads write at the
 * same moment in one transaction. Throughput comes from batching (group commit, merged and staged
 * inserts, set-based completions, claims and DAG settlement), not from parallel statements. Job and run
 * ids are assigned here, in ascending order, which is safe because no other process can write the file while it is open.
 */
public final class DuckDbStorage implements Storage {

    private static final System.Logger LOG = System.getLogger(DuckDbStorage.class.getName());
    private static final Pattern LOCK_HOLDER = Pattern.compile("Conflicting lock is held in (.+?)(?:\\. See also|$)");
    private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();

    /** A cancel, retry, recovery or expiry that changed something is numbered. */
    private static final Transactions.Marking<Changes> CHANGED = (changes, durability) -> {
        if (!changes.isEmpty()) {
            durability.changed();
        }
    };
    private static final Transactions.Marking<Object> ALWAYS_CHANGED = (result, durability) -> durability.changed();
    /** A file's changes wait in its write-ahead log until DuckDB checkpoints; after this long without writes, it does. */
    private static final Duration CHECKPOINT_WHEN_QUIET = Duration.ofSeconds(1);
    private static final ScheduledExecutorService CHECKPOINTS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "queuack-duckdb-checkpoints");
        thread.setDaemon(true);
        return thread;
    });

    private final Path file;
    private final String description;
    private final DuckDBConnection connection;
    private final Statements statements;
    private final JobInserter jobInserter;
    private final RunWriter runWriter;
    private final CycleWriter cycleWriter;
    private final StatusChanges statusChanges;
    private final JobReads reads;
    private final Transactions transactions;
    private final ReentrantLock lock;
    private ScheduledFuture<?> checkpoints;
    /** The stored limits, once read; null until then and after a change. */
    private volatile List<JobLimit> limits;

    private DuckDbStorage(Path file, String description, DuckDBConnection connection) throws SQLException {
        this.file = file;
        this.description = description;
        this.connection = connection;
        this.statements = new Statements(connection);
        IdAllocator jobIds = new IdAllocator(nextId(connection, "jobs"));
        IdAllocator runIds = new IdAllocator(nextId(connection, "dag_runs"));
        Settlement settlement = new Settlement(statements);
        this.jobInserter = new JobInserter(statements, jobIds);
        this.runWriter = new RunWriter(statements, jobIds, runIds);
        this.cycleWriter = new CycleWriter(statements, settlement);
        this.statusChanges = new StatusChanges(statements, settlement);
        this.reads = new JobReads(statements);
        this.transactions = new Transactions(description, file != null, statements, jobInserter);
        this.lock = transactions.lock();
    }

    /**
     * @return DuckDB threads per query by default: one per available processor, as DuckDB itself chooses.
     *         On the 2-core development machine one thread and two were within a few percent of each other
     *         for DAG runs and plain jobs, and more threads make a claim over a large backlog faster.
     */
    public static int defaultThreads() {
        return Math.min(256, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Opens (creating if needed) a DuckDB queue file, with {@link #defaultThreads()} DuckDB threads. */
    public static DuckDbStorage open(Path file) {
        return open(file, defaultThreads(), false);
    }

    /**
     * Opens (creating if needed) a DuckDB queue file, and checks that it holds every change its commit record
     * ({@code <file>.commits}) says was committed.
     *
     * @param threads           DuckDB threads per query, 1 to 256
     * @param acceptLostCommits open a file that lost committed changes anyway (a warning is logged)
     * @throws io.queuack.error.LostCommitsException if the file lost committed changes (its {@code .wal} was deleted or
     *                                         damaged) and {@code acceptLostCommits} is false
     */
    public static DuckDbStorage open(Path file, int threads, boolean acceptLostCommits) {
        checkThreads(threads);
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
            DuckDbStorage storage = connect(absolute, "jdbc:duckdb:" + absolute, "DuckDB file " + absolute, threads);
            try {
                storage.watchCommits(acceptLostCommits);
            } catch (RuntimeException e) {
                storage.closeConnectionOnly(e);
                throw e;
            }
            return storage;
        } catch (RuntimeException e) {
            OPEN_FILES.remove(absolute);
            throw e;
        }
    }

    /** Opens a DuckDB database in memory, with {@link #defaultThreads()} DuckDB threads. */
    public static DuckDbStorage inMemory() {
        return inMemory(defaultThreads());
    }

    /** Opens a DuckDB database in memory. @param threads DuckDB threads per query, 1 to 256 */
    public static DuckDbStorage inMemory(int threads) {
        checkThreads(threads);
        return connect(null, "jdbc:duckdb:", "DuckDB in memory", threads);
    }

    private static void checkThreads(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("DuckDB threads must be between 1 and 256, was " + threads);
        }
    }

    private static DuckDbStorage connect(Path file, String url, String description, int threads) {
        DuckDBConnection connection = null;
        try {
            // the driver itself, not DriverManager: a notebook kernel that loads this jar at run time (JJava's
            // %classpath) has it in a class loader DriverManager's service lookup may never have seen
            connection = (DuckDBConnection) new DuckDBDriver().connect(url, new Properties());
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET threads TO " + threads);
            }
            connection.setAutoCommit(false);
            Migrations.apply(connection, description);
            JobInserter.createStagingTable(connection);
            RunWriter.createStagingTable(connection);
            CycleWriter.createStagingTable(connection);
            connection.commit();
            return new DuckDbStorage(file, description, connection);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            Matcher holder = LOCK_HOLDER.matcher(String.valueOf(e.getMessage()));
            if (file != null && holder.find()) {
                throw new QueueLockedException(file, holder.group(1), e);
            }
            String cause = String.valueOf(e.getMessage()).replaceAll("[.!\\s]+$", "");
            if (file != null && cause.contains("Corrupt WAL")) {
                throw new StorageException("Cannot open " + description + ": its write-ahead log " + file.getFileName()
                        + ".wal is damaged (" + cause + "). Nothing was changed. Restore the file together with its"
                        + " .wal from a backup; or move the .wal away and open the file with"
                        + " Queuack.builder().duckdb(file).acceptLostCommits() to go on without the commits it held.", e);
            }
            throw new StorageException("Cannot open " + description + ": " + cause + ". Check that the path"
                    + " names a queue file (a DuckDB database, or a path where one may be created) that this process"
                    + " can read and write.", e);
        } catch (RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    /** Counts commits against the file's commit record, and checkpoints the file whenever writes pause. */
    private void watchCommits(boolean acceptLostCommits) {
        transactions.durability(transactions.read("check the commits of " + description,
                () -> FileDurability.open(file, statements, acceptLostCommits, Instant.now())));
        lock.lock();
        try {
            checkpoint();
        } catch (SQLException e) {
            throw new StorageException("Could not checkpoint " + description + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        long quiet = CHECKPOINT_WHEN_QUIET.toMillis();
        checkpoints = CHECKPOINTS.scheduleWithFixedDelay(this::checkpointWhenQuiet, quiet, quiet, TimeUnit.MILLISECONDS);
    }

    /**
     * Checkpoints the file once writes paused, so that what is stored is in the file itself, not only in its
     * write-ahead log. Skipped while the store is busy.
     */
    private void checkpointWhenQuiet() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            if (transactions.isClosed()
                    || !transactions.durability().isIdleWithUncheckpointedWrites(CHECKPOINT_WHEN_QUIET.toNanos())) {
                return;
            }
            checkpoint();
        } catch (SQLException | RuntimeException e) {
            transactions.rollback(e);
            LOG.log(System.Logger.Level.DEBUG, "Checkpoint of " + description + " failed; tried again later", e);
        } finally {
            lock.unlock();
        }
    }

    private void checkpoint() throws SQLException {
        transactions.durability().checkpoint(connection);
    }

    /**
     * Writes a consistent copy of the store to {@code target} while it stays open: a file queue is
     * checkpointed and copied byte for byte under the store's lock, an in-memory one is copied into a new
     * database file. Writes wait meanwhile.
     *
     * @throws IllegalArgumentException if {@code target} exists or is the store's own file
     */
    @Override
    public void backup(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.equals(file)) {
            throw new IllegalArgumentException("The backup target " + absolute + " is the queue file itself");
        }
        if (Files.exists(absolute)) {
            throw new IllegalArgumentException("The backup target " + absolute + " exists; give a new file name");
        }
        createParent(absolute);
        transactions.read("back up to " + absolute, () -> {
            if (file == null) {
                copyDatabaseTo(absolute);
            } else {
                transactions.durability().copyFile(connection, file, absolute);
            }
            return null;
        });
    }

    /** Copies the in-memory database into a new database file. The caller holds the lock. */
    private void copyDatabaseTo(Path target) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            connection.commit();
            statement.execute("ATTACH '" + target.toString().replace("'", "''") + "' AS queuack_backup");
            try {
                statement.execute("COPY FROM DATABASE memory TO queuack_backup");
                connection.commit();
            } finally {
                connection.rollback();
                statement.execute("DETACH queuack_backup");
            }
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

    /** @return the next id of {@code table}: above every stored id and every id handed out before a purge */
    private static long nextId(DuckDBConnection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT greatest(coalesce(max(id), 0), coalesce((SELECT value FROM"
                     + " queuack_counters WHERE name = '" + table + "'), 0)) + 1 FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String description() {
        return description;
    }

    /** A second connection to the same database (DuckDB's MVCC keeps its reads consistent). */
    @Override
    public Optional<Connection> openSqlConnection() throws SQLException {
        lock.lock();
        try {
            return Optional.of(connection.duplicate());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isExclusive() {
        return true;
    }

    @Override
    public boolean isDurable() {
        return file != null;
    }

    @Override
    public List<Inserted> insert(List<JobBatch> batches) {
        return transactions.insert(batches);
    }

    @Override
    public RunInserted insertRun(RunPlan plan) {
        return transactions.write("insert a run of DAG '" + plan.dag() + "'", () -> runWriter.insert(plan),
                (run, durability) -> durability.inserted(Arrays.stream(run.jobIds()).max().orElse(0)));
    }

    @Override
    public CycleResult cycle(CycleRequest request) {
        return transactions.write("claim and acknowledge jobs", () -> cycleWriter.cycle(request,
                outcomeSeq(), storedLimits()), (result, durability) -> {
                    if (!result.completed().isEmpty()) {
                        durability.outcomesStored(durability.nextOutcomeSeq());
                    }
                });
    }

    /** @return the number this transaction's outcomes carry (0 in memory) */
    private long outcomeSeq() {
        FileDurability durability = transactions.durability();
        return durability == null ? 0 : durability.nextOutcomeSeq();
    }

    @Override
    public Changes recoverExpiredLeases(Instant now, JobError error) {
        return transactions.write("recover expired leases", () -> statusChanges.recoverExpiredLeases(now, error),
                CHANGED);
    }

    @Override
    public Changes recoverAfterRestart(String sessionId, Instant now, JobError lostWorker, JobError orphaned) {
        return transactions.write("recover jobs after a restart",
                () -> statusChanges.recoverAfterRestart(sessionId, now, lostWorker, orphaned), CHANGED);
    }

    @Override
    public Changes expire(Instant now, JobError error) {
        return transactions.write("expire jobs", () -> statusChanges.expire(now, error), CHANGED);
    }

    @Override
    public Changes transition(long jobId, JobStatus expected, JobStatus to, Instant now) {
        return transactions.write("change the status of job " + jobId,
                () -> statusChanges.transition(jobId, expected, to, now), CHANGED);
    }

    @Override
    public Changes cancelRun(long rootRunId, Instant now) {
        return transactions.write("cancel run " + rootRunId, () -> statusChanges.cancelRun(rootRunId, now), CHANGED);
    }

    @Override
    public Optional<Job> find(long jobId) {
        return transactions.read("read job " + jobId, () -> reads.find(jobId));
    }

    @Override
    public List<Job> find(JobQuery query) {
        return transactions.read("list jobs", () -> reads.find(query));
    }

    @Override
    public Optional<RunRecord> findRun(long runId) {
        return transactions.read("read run " + runId, () -> reads.findRun(runId));
    }

    @Override
    public List<RunRecord> findRuns(String dag, int limit) {
        return transactions.read("list runs", () -> reads.findRuns(dag, limit));
    }

    @Override
    public List<RunRecord> childRuns(long runId) {
        return transactions.read("read the sub-runs of run " + runId, () -> reads.childRuns(runId));
    }

    @Override
    public List<Job> runJobs(long runId) {
        return transactions.read("read the tasks of run " + runId, () -> reads.runJobs(runId));
    }

    @Override
    public List<long[]> runDependencies(long runId) {
        return transactions.read("read the dependencies of run " + runId, () -> reads.runDependencies(runId));
    }

    @Override
    public List<Job> upstreamJobs(long jobId) {
        return transactions.read("read the upstream tasks of job " + jobId, () -> reads.upstreamJobs(jobId));
    }

    @Override
    public Optional<String> cachedResult(String cacheKey) {
        return transactions.read("look up a reusable result", () -> reads.cachedResult(cacheKey));
    }

    @Override
    public List<QueueStats> stats(Instant now) {
        return transactions.read("read queue stats", () -> reads.stats(now));
    }

    @Override
    public List<Attempt> attempts(long jobId) {
        return transactions.read("read attempts", () -> AttemptSql.find(statements, jobId));
    }

    @Override
    public List<Throughput> throughput(Instant since) {
        return transactions.read("read throughput", () -> reads.throughput(since));
    }

    @Override
    public Map<String, Long> waitingCounts() {
        return transactions.read("count waiting jobs", reads::waitingCounts);
    }

    @Override
    public int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) {
        return transactions.write("purge jobs", () -> {
            if (transactions.durability() != null) {
                transactions.durability().keepOutcomeMark();
            }
            return statusChanges.purge(statuses, finishedBefore, queue);
        }, ALWAYS_CHANGED);
    }

    @Override
    public void setPaused(String queue, boolean paused, Instant now) {
        transactions.write("pause or resume queue " + queue, () -> {
            PreparedStatement upsert = statements.prepare("INSERT INTO queues (name, paused, updated_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET paused = excluded.paused,"
                    + " updated_at = excluded.updated_at");
            upsert.setString(1, queue);
            upsert.setBoolean(2, paused);
            SqlValues.setTimestamp(upsert, 3, now);
            upsert.executeUpdate();
            return null;
        }, ALWAYS_CHANGED);
    }

    @Override
    public Set<String> pausedQueues() {
        return transactions.read("read paused queues", reads::pausedQueues);
    }

    @Override
    public boolean putSchedule(ScheduleRow row, long expectedVersion) {
        return transactions.write("save schedule '" + row.name() + "'",
                () -> ScheduleSql.put(statements, row, expectedVersion), ALWAYS_CHANGED);
    }

    @Override
    public boolean deleteSchedule(String name) {
        return transactions.write("delete schedule '" + name + "'", () -> ScheduleSql.delete(statements, name),
                ALWAYS_CHANGED);
    }

    @Override
    public Optional<ScheduleRow> schedule(String name) {
        return transactions.read("read schedule '" + name + "'", () -> ScheduleSql.get(statements, name));
    }

    @Override
    public List<ScheduleRow> schedules() {
        return transactions.read("list schedules", () -> ScheduleSql.all(statements));
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, Set<String> dags, int limit) {
        return transactions.read("find due schedules", () -> ScheduleSql.due(statements, now, dags, limit));
    }

    @Override
    public Optional<Instant> nextFireTime(Set<String> dags) {
        return transactions.read("find the next fire time", () -> ScheduleSql.next(statements, dags));
    }

    @Override
    public List<Optional<ScheduleFired>> fireSchedules(List<ScheduleFiring> firings) {
        return transactions.write("fire " + firings.size() + " schedules", () -> ScheduleSql.fire(statements, firings,
                new ScheduleSql.Inserts() {
                    @Override
                    public List<Inserted> jobs(List<JobBatch> batches) throws SQLException {
                        return jobInserter.insert(batches);
                    }

                    @Override
                    public RunInserted run(RunPlan plan) throws SQLException {
                        return runWriter.insert(plan);
                    }
                }), (fired, durability) -> {
                    durability.changed();
                    durability.inserted(fired.stream().flatMap(Optional::stream).flatMapToLong(done -> LongStream.concat(
                            done.jobs().stream().flatMapToLong(batch -> Arrays.stream(batch.ids())),
                            done.runs().stream().flatMapToLong(run -> Arrays.stream(run.jobIds())))).max().orElse(0));
                });
    }

    @Override
    public void putLimit(JobLimit limit, Instant now) {
        transactions.write("store limit " + limit.label(), () -> {
            LimitSql.put(statements, limit, now);
            limits = null;
            return null;
        }, ALWAYS_CHANGED);
    }

    @Override
    public boolean deleteLimit(JobLimit.Scope scope, String name) {
        return transactions.write("delete limit " + scope.label() + ":" + name, () -> {
            limits = null;
            return LimitSql.delete(statements, scope, name);
        }, ALWAYS_CHANGED);
    }

    @Override
    public List<JobLimit> limits() {
        return transactions.read("list limits", this::storedLimits);
    }

    @Override
    public LimitUsage limitUsage(Instant now) {
        return transactions.read("count what limits count", () -> LimitSql.usage(statements, storedLimits(), now));
    }

    /**
     * @return the stored limits, read once and kept: only this process writes the file. Called inside a transaction
     *         (under the store's lock).
     */
    private List<JobLimit> storedLimits() throws SQLException {
        List<JobLimit> known = limits;
        if (known == null) {
            known = LimitSql.all(statements);
            limits = known;
        }
        return known;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (transactions.isClosed()) {
                return;
            }
            if (checkpoints != null) {
                checkpoints.cancel(false);
            }
            SQLException closing = new SQLException("Closing cached statements failed");
            if (transactions.durability() != null && transactions.invalidated() == null) {
                markCleanClose(closing);
            }
            transactions.markClosed();
            statements.clear(closing);
            connection.close();
            if (closing.getSuppressed().length > 0 && transactions.invalidated() == null) {
                throw closing;
            }
        } catch (SQLException e) {
            if (transactions.invalidated() == null) {
                throw new StorageException("Closing " + description + " failed: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.DEBUG, "Closing the stopped " + description + " failed too", e);
        } finally {
            if (transactions.durability() != null) {
                transactions.durability().close();
            }
            if (file != null) {
                OPEN_FILES.remove(file);
            }
            lock.unlock();
        }
    }

    /** Marks the file closed (DuckDB then checkpoints as it closes). */
    private void markCleanClose(SQLException closing) {
        try {
            transactions.durability().closing();
            connection.commit();
        } catch (SQLException e) {
            closing.addSuppressed(e);
        }
    }

    /** Closes the connection of a store that failed to finish opening. */
    private void closeConnectionOnly(RuntimeException failure) {
        transactions.markClosed();
        statements.clear(failure);
        closeQuietly(connection, failure);
    }
}
