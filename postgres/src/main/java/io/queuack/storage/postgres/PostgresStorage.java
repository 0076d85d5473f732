package io.queuack.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.queuack.error.StorageException;
import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import io.queuack.job.WorkerInfo;
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
import io.queuack.storage.StoreListener;
import io.queuack.storage.sql.AttemptSql;
import io.queuack.storage.sql.JobReads;
import io.queuack.storage.sql.LimitSql;
import io.queuack.storage.sql.ScheduleSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Jobs and DAG runs in PostgreSQL, shared by any number of processes on any number of hosts.
 *
 * <p>Every read and write is one short transaction on a pooled connection (HikariCP). Claims take due jobs
 * with {@code FOR UPDATE SKIP LOCKED}, so pools of many processes claim different jobs without waiting for
 * each other; every outcome is fenced by owner and attempt; DAG settlement locks the runs it settles, so two
 * hosts finishing the parents of one task at once unblock it once. Lost connections (a restarted server, a
 * killed backend) are retried, and a commit interrupted by one is looked up instead of guessed.
 *
 * <p>Open one with {@link #open(String)} or {@link #connect(String)} (a JDBC URL such as
 * {@code jdbc:postgresql://db.example.com/queues?user=app}) or {@link #using(DataSource)}.
 */
public final class PostgresStorage implements Storage {

    /** The default number of pooled connections. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** How long a store keeps retrying an operation whose connection was lost, by default. */
    public static final Duration DEFAULT_RECONNECT_FOR = Duration.ofSeconds(30);

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String description;
    private final DataSource dataSource;
    /** The pool this store made and closes; null when the caller handed in its own data source. */
    private final HikariDataSource ownPool;
    private final Transactions transactions;
    /** The notification channel of the store's schema; every process using the schema listens to it. */
    private final String channel;
    /** This store's id in the notifications it sends, so that it skips its own. */
    private final String origin = UUID.randomUUID().toString();
    /** Whether another session listens for job-level changes (the feed keeps it current, once a second). */
    private final AtomicBoolean othersWantJobEvents = new AtomicBoolean();
    private ChangeFeed feed;

    private PostgresStorage(String description, DataSource dataSource, HikariDataSource ownPool,
                            Duration reconnectFor, String schema) {
        this.description = description;
        this.dataSource = dataSource;
        this.ownPool = ownPool;
        this.channel = "queuack_" + schema;
        this.transactions = new Transactions(dataSource, description, reconnectFor, channel, origin,
                othersWantJobEvents::get);
    }

    /** Opens the store at {@code jdbcUrl} with the defaults (see {@link Builder}). */
    public static PostgresStorage open(String jdbcUrl) {
        return connect(jdbcUrl).open();
    }

    /**
     * @param jdbcUrl a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database}, credentials as URL
     *                parameters or through {@link Builder#user}/{@link Builder#password}; a {@code currentSchema}
     *                parameter names the schema, as {@link Builder#schema} does)
     * @return a builder for a store on its own connection pool
     */
    public static Builder connect(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("A PostgreSQL JDBC URL starts with jdbc:postgresql:, e.g."
                    + " jdbc:postgresql://localhost:5432/queues; got " + redact(jdbcUrl));
        }
        Builder builder = new Builder(jdbcUrl, null);
        Matcher schema = CURRENT_SCHEMA.matcher(jdbcUrl);
        if (schema.find()) {
            builder.schema(schema.group(1));
        }
        return builder;
    }

    /** @return a builder for a store on a data source (a pool) the caller owns and closes */
    public static Builder using(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** @return the names of the schema scripts, in order, for a DBA who applies them (they are in this jar) */
    public static List<String> schemaScripts() {
        return Migrations.SCRIPTS;
    }

    /** @return {@code url} with its query (where credentials may be) removed, for messages */
    static String redact(String url) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.replaceAll("//[^/@]*@", "//");
    }

    /** How to open a {@link PostgresStorage}; every setting has a default. */
    public static final class Builder {
        private final String url;
        private final DataSource dataSource;
        private String user;
        private String password;
        private String schema;
        private int poolSize = DEFAULT_POOL_SIZE;
        private SchemaMode schemaMode = SchemaMode.CREATE;
        private Duration reconnectFor = DEFAULT_RECONNECT_FOR;

        private Builder(String url, DataSource dataSource) {
            this.url = url;
            this.dataSource = dataSource;
        }

        /** Logs in as {@code name} (instead of a {@code user} URL parameter). */
        public Builder user(String name) {
            this.user = Objects.requireNonNull(name, "user");
            return this;
        }

        /** Logs in with {@code secret}; it never appears in messages or logs. */
        public Builder password(String secret) {
            this.password = Objects.requireNonNull(secret, "password");
            return this;
        }

        /**
         * Keeps the tables in this schema (created if missing, with {@link SchemaMode#CREATE}) instead of the
         * connection's default: several queues can share one database. Lower-case letters, digits and
         * underscores, 63 at most.
         */
        public Builder schema(String name) {
            Objects.requireNonNull(name, "schema");
            if (!SCHEMA_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("A schema name is 1 to 63 lower-case letters, digits or"
                        + " underscores, starting with a letter or underscore; got '" + name + "'");
            }
            this.schema = name;
            return this;
        }

        /** Keeps at most {@code size} connections open (1 to 200; default {@value #DEFAULT_POOL_SIZE}). */
        public Builder poolSize(int size) {
            if (size < 1 || size > 200) {
                throw new IllegalArgumentException("The pool size must be between 1 and 200, was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /** Creates, validates or ignores the tables on open (default {@link SchemaMode#CREATE}). */
        public Builder schemaMode(SchemaMode mode) {
            this.schemaMode = Objects.requireNonNull(mode, "schemaMode");
            return this;
        }

        /**
         * Keeps retrying an operation whose connection was lost for up to {@code time} (1 s to 1 h; default
         * 30 s) before it fails: long enough to ride out a server restart.
         */
        public Builder reconnectFor(Duration time) {
            Objects.requireNonNull(time, "reconnectFor");
            if (time.compareTo(Duration.ofSeconds(1)) < 0 || time.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("reconnectFor must be between 1 s and 1 h, was " + time);
            }
            this.reconnectFor = time;
            return this;
        }

        /**
         * Connects, and creates or checks the tables as the schema mode says.
         *
         * @throws StorageException if the server cannot be reached or refuses the login (the message names
         *                          the server and database, never the password)
         */
        public PostgresStorage open() {
            HikariDataSource pool = null;
            DataSource source = dataSource;
            String where = url == null ? "PostgreSQL (" + dataSource.getClass().getSimpleName() + ")"
                    : "PostgreSQL " + redact(url).substring("jdbc:postgresql:".length());
            String description = where + (schema == null ? "" : " schema " + schema);
            try {
                if (source == null) {
                    pool = pool(description);
                    source = pool;
                }
                String tables = prepareSchema(source, description);
                return new PostgresStorage(description, source, pool, reconnectFor, tables);
            } catch (SQLException | RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                if (e instanceof StorageException || e instanceof IllegalArgumentException) {
                    throw (RuntimeException) e;
                }
                throw new StorageException("Cannot open " + description + ": " + message(e) + ". Check that the server"
                        + " runs, that this host may connect to it (pg_hba.conf) and the user and password.", e);
            }
        }

        private HikariDataSource pool(String description) {
            PGSimpleDataSource driver = new PGSimpleDataSource();
            driver.setURL(url);
            if (user != null) {
                driver.setUser(user);
            }
            if (password != null) {
                driver.setPassword(password);
            }
            HikariConfig config = new HikariConfig();
            // the driver's data source, not DriverManager: a notebook kernel that loads this jar at run time has
            // it in a class loader DriverManager's service lookup may never have seen
            config.setDataSource(driver);
            config.setPoolName("queuack-postgres-" + POOLS.incrementAndGet());
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setConnectionTimeout(5_000);
            config.setKeepaliveTime(60_000);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            if (schema != null) {
                config.setSchema(schema);
            }
            return new HikariDataSource(config);
        }

        /** Creates or checks the tables as the schema mode says. @return the schema they are in */
        private String prepareSchema(DataSource source, String description) throws SQLException {
            try (Connection connection = source.getConnection()) {
                connection.setAutoCommit(false);
                if (schemaMode == SchemaMode.CREATE) {
                    Migrations.apply(connection, schema, description);
                } else if (schemaMode == SchemaMode.VALIDATE) {
                    Migrations.validate(connection, description);
                }
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
                    String current = rs.next() ? rs.getString(1) : null;
                    connection.rollback();
                    if (current == null) {
                        throw new StorageException("Cannot open " + description + ": the connection has no current"
                                + " schema (its search_path names none that exists); name one with schema(...)", null);
                    }
                    return current;
                }
            }
        }

        private static String message(Exception e) {
            return String.valueOf(e.getMessage()).replaceAll("[.!\\s]+$", "");
        }
    }

    @Override
    public String description() {
        return description;
    }

    /** A pooled connection (its search path set to the store's schema); closing it returns it to the pool. */
    @Override
    public Optional<Connection> openSqlConnection() throws SQLException {
        return Optional.of(dataSource.getConnection());
    }

    /** Listens on the store's notification channel (on a pooled connection of its own) until the store closes. */
    @Override
    public synchronized void listen(StoreListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (transactions.isClosed()) {
            return;
        }
        if (feed != null) {
            feed.close();
        }
        feed = new ChangeFeed(dataSource, channel, origin, description, listener, othersWantJobEvents);
        feed.start();
    }

    @Override
    public boolean isExclusive() {
        return false;
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public List<Inserted> insert(List<JobBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        return transactions.write("insert jobs", statements -> JobInserter.insert(statements, batches));
    }

    @Override
    public RunInserted insertRun(RunPlan plan) {
        return transactions.write("insert a run of DAG '" + plan.dag() + "'",
                statements -> RunWriter.insert(statements, plan));
    }

    @Override
    public CycleResult cycle(CycleRequest request) {
        return transactions.write("claim and acknowledge jobs", statements -> CycleWriter.cycle(statements, request));
    }

    @Override
    public Changes recoverExpiredLeases(Instant now, JobError error) {
        return transactions.write("recover expired leases",
                statements -> published(statements, StatusChanges.recoverExpiredLeases(statements, now, error),
                        now));
    }

    @Override
    public Changes recoverAfterRestart(String sessionId, Instant now, JobError lostWorker, JobError orphaned) {
        return transactions.write("recover jobs after a restart",
                statements -> published(statements,
                        StatusChanges.recoverAfterRestart(statements, sessionId, now, lostWorker, orphaned), now));
    }

    @Override
    public Changes expire(Instant now, JobError error) {
        return transactions.write("expire jobs",
                statements -> published(statements, StatusChanges.expire(statements, now, error), now));
    }

    @Override
    public Changes transition(long jobId, JobStatus expected, JobStatus to, Instant now) {
        return transactions.write("change the status of job " + jobId,
                statements -> published(statements, StatusChanges.transition(statements, jobId, expected, to, now),
                        now));
    }

    @Override
    public Changes cancelRun(long rootRunId, Instant now) {
        return transactions.write("cancel run " + rootRunId,
                statements -> published(statements, StatusChanges.cancelRun(statements, rootRunId, now), now));
    }

    private static Changes published(Statements statements, Changes changes, Instant now) {
        statements.publication().changes(changes, now);
        return changes;
    }

    @Override
    public Optional<Job> find(long jobId) {
        return transactions.read("read job " + jobId, statements -> new JobReads(statements).find(jobId));
    }

    @Override
    public List<Job> find(JobQuery query) {
        return transactions.read("list jobs", statements -> new JobReads(statements).find(query));
    }

    @Override
    public Optional<RunRecord> findRun(long runId) {
        return transactions.read("read run " + runId, statements -> new JobReads(statements).findRun(runId));
    }

    @Override
    public List<RunRecord> findRuns(String dag, int limit) {
        return transactions.read("list runs", statements -> new JobReads(statements).findRuns(dag, limit));
    }

    @Override
    public List<RunRecord> childRuns(long runId) {
        return transactions.read("read the sub-runs of run " + runId,
                statements -> new JobReads(statements).childRuns(runId));
    }

    @Override
    public List<Job> runJobs(long runId) {
        return transactions.read("read the tasks of run " + runId, statements -> new JobReads(statements).runJobs(runId));
    }

    @Override
    public List<long[]> runDependencies(long runId) {
        return transactions.read("read the dependencies of run " + runId,
                statements -> new JobReads(statements).runDependencies(runId));
    }

    @Override
    public List<Job> upstreamJobs(long jobId) {
        return transactions.read("read the upstream tasks of job " + jobId,
                statements -> new JobReads(statements).upstreamJobs(jobId));
    }

    @Override
    public Optional<String> cachedResult(String cacheKey) {
        return transactions.read("look up a reusable result",
                statements -> new JobReads(statements).cachedResult(cacheKey));
    }

    @Override
    public List<QueueStats> stats(Instant now) {
        return transactions.read("read queue stats", statements -> new JobReads(statements).stats(now));
    }

    @Override
    public List<Attempt> attempts(long jobId) {
        return transactions.read("read attempts", statements -> AttemptSql.find(statements, jobId));
    }

    @Override
    public List<Throughput> throughput(Instant since) {
        return transactions.read("read throughput", statements -> new JobReads(statements).throughput(since));
    }

    @Override
    public Map<String, Long> waitingCounts() {
        return transactions.read("count waiting jobs", statements -> new JobReads(statements).waitingCounts());
    }

    @Override
    public int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) {
        return transactions.write("purge jobs",
                statements -> StatusChanges.purge(statements, statuses, finishedBefore, queue));
    }

    @Override
    public void setPaused(String queue, boolean paused, Instant now) {
        transactions.write("pause or resume queue " + queue, statements -> {
            PreparedStatement upsert = statements.prepare("INSERT INTO queues (name, paused, updated_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET paused = excluded.paused,"
                    + " updated_at = excluded.updated_at");
            upsert.setString(1, queue);
            upsert.setBoolean(2, paused);
            SqlValues.setTimestamp(upsert, 3, now);
            upsert.executeUpdate();
            statements.publication().pausesChanged();
            return null;
        });
    }

    @Override
    public Set<String> pausedQueues() {
        return transactions.read("read paused queues", statements -> new JobReads(statements).pausedQueues());
    }

    @Override
    public boolean putSchedule(ScheduleRow row, long expectedVersion) {
        return transactions.write("save schedule '" + row.name() + "'",
                statements -> ScheduleSql.put(statements, row, expectedVersion));
    }

    @Override
    public boolean deleteSchedule(String name) {
        return transactions.write("delete schedule '" + name + "'", statements -> ScheduleSql.delete(statements, name));
    }

    @Override
    public Optional<ScheduleRow> schedule(String name) {
        return transactions.read("read schedule '" + name + "'", statements -> ScheduleSql.get(statements, name));
    }

    @Override
    public List<ScheduleRow> schedules() {
        return transactions.read("list schedules", ScheduleSql::all);
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, Set<String> dags, int limit) {
        return transactions.read("find due schedules", statements -> ScheduleSql.due(statements, now, dags, limit));
    }

    @Override
    public Optional<Instant> nextFireTime(Set<String> dags) {
        return transactions.read("find the next fire time", statements -> ScheduleSql.next(statements, dags));
    }

    @Override
    public List<Optional<ScheduleFired>> fireSchedules(List<ScheduleFiring> firings) {
        return transactions.write("fire " + firings.size() + " schedules", statements -> ScheduleSql.fire(statements,
                firings, new ScheduleSql.Inserts() {
                    @Override
                    public List<Inserted> jobs(List<JobBatch> batches) throws SQLException {
                        return JobInserter.insert(statements, batches);
                    }

                    @Override
                    public RunInserted run(RunPlan plan) throws SQLException {
                        return RunWriter.insert(statements, plan);
                    }
                }));
    }

    @Override
    public void putLimit(JobLimit limit, Instant now) {
        transactions.write("store limit " + limit.label(), statements -> {
            LimitSql.put(statements, limit, now);
            return null;
        });
    }

    @Override
    public boolean deleteLimit(JobLimit.Scope scope, String name) {
        return transactions.write("delete limit " + scope.label() + ":" + name,
                statements -> LimitSql.delete(statements, scope, name));
    }

    @Override
    public List<JobLimit> limits() {
        return transactions.read("list limits", LimitSql::all);
    }

    @Override
    public LimitUsage limitUsage(Instant now) {
        return transactions.read("count what limits count", statements -> LimitSql.usage(statements,
                LimitSql.all(statements), now));
    }

    @Override
    public void heartbeat(WorkerInfo worker) {
        transactions.write("store the heartbeat of worker pool " + worker.id(), statements -> {
            PreparedStatement upsert = statements.prepare("INSERT INTO queuack_workers (id, host, pid, queues,"
                    + " concurrency, started_at, heartbeat_at, stopped_at, held_jobs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at,"
                    + " stopped_at = excluded.stopped_at, held_jobs = excluded.held_jobs");
            upsert.setString(1, worker.id());
            upsert.setString(2, worker.host());
            upsert.setLong(3, worker.pid());
            upsert.setString(4, worker.queues());
            upsert.setInt(5, worker.concurrency());
            SqlValues.setTimestamp(upsert, 6, worker.startedAt());
            SqlValues.setTimestamp(upsert, 7, worker.heartbeatAt());
            SqlValues.setTimestamp(upsert, 8, worker.stoppedAt());
            upsert.setInt(9, worker.heldJobs());
            upsert.executeUpdate();
            if (worker.stoppedAt() == null && worker.heartbeatAt().getEpochSecond() % 60 == 0) {
                PreparedStatement forget = statements.prepare("DELETE FROM queuack_workers WHERE heartbeat_at < ?");
                SqlValues.setTimestamp(forget, 1, worker.heartbeatAt().minus(Duration.ofDays(1)));
                forget.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<WorkerInfo> workers() {
        return transactions.read("list the worker pools", statements -> {
            List<WorkerInfo> workers = new ArrayList<>();
            try (ResultSet rs = statements.prepare("SELECT id, host, pid, queues, concurrency, started_at,"
                    + " heartbeat_at, stopped_at, held_jobs FROM queuack_workers ORDER BY started_at, id").executeQuery()) {
                while (rs.next()) {
                    workers.add(new WorkerInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getInt(5), SqlValues.instant(rs, 6), SqlValues.instant(rs, 7), SqlValues.instant(rs, 8),
                            rs.getInt(9)));
                }
            }
            return workers;
        });
    }

    @Override
    public synchronized void close() {
        if (transactions.isClosed()) {
            return;
        }
        transactions.markClosed();
        if (feed != null) {
            feed.close();
        }
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
