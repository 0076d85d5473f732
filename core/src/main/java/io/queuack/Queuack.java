package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.error.BackpressureException;
import io.queuack.error.JobNotFoundException;
import io.queuack.error.NonRetryableException;
import io.queuack.error.QueuackException;
import io.queuack.error.StorageException;
import io.queuack.error.UnknownTaskException;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.Subscription;
import io.queuack.job.Attempt;
import io.queuack.job.IllegalJobStateException;
import io.queuack.job.Job;
import io.queuack.job.JobContext;
import io.queuack.job.JobError;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobRequest;
import io.queuack.job.JobStatus;
import io.queuack.job.Limits;
import io.queuack.job.QueueStats;
import io.queuack.job.RunSummary;
import io.queuack.job.SimpleTask;
import io.queuack.job.Task;
import io.queuack.job.Throughput;
import io.queuack.job.WorkerInfo;
import io.queuack.schedule.Backfill;
import io.queuack.storage.Changes;
import io.queuack.storage.Storage;
import io.queuack.storage.sql.StoreCopy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A durable job queue on embedded DuckDB (or in memory): register tasks, enqueue jobs, run them with
 * {@linkplain #workers() worker pools}, and inspect or operate on what is stored.
 *
 * <pre>{@code
 * try (Queuack queue = Queuack.open(Path.of("jobs.duckdb"))) {
 *     queue.register("greet", String.class, (ctx, name) -> "Hello, " + name);
 *     long id = queue.enqueue("greet", "Ada");
 *     try (WorkerPool pool = queue.workers().concurrency(4).start()) {
 *         System.out.println(queue.await(id, Duration.ofSeconds(10)).resultJson());   // "Hello, Ada"
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Opening a file recovers what an earlier process left unfinished: jobs it was
 * running run again (their attempt counts), and in-process lambda jobs it had enqueued become
 * {@link JobStatus#ORPHANED}.
 */
public final class Queuack implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Queuack.class.getName());
    private static final Set<Queuack> OPEN = ConcurrentHashMap.newKeySet();
    private static final int MAX_CANCEL_RACES = 10;
    /** How long a blocking DAG run's own pool waits for running tasks when it stops (after a timeout). */
    private static final Duration RUN_POOL_GRACE = Duration.ofSeconds(5);

    private final Engine engine;
    /** This queue's open worker pools, closed with it. */
    private final Set<WorkerPool> pools = ConcurrentHashMap.newKeySet();
    private final Enqueuer enqueuer;
    private final DagSubmitter dags;
    private final Schedules schedules;
    private final JobLimits limits;
    private final Backfiller backfiller;

    Queuack(Engine engine) {
        this.engine = engine;
        this.enqueuer = new Enqueuer(engine);
        this.dags = new DagSubmitter(engine);
        this.schedules = new Schedules(engine, enqueuer, dags);
        this.limits = new JobLimits(engine);
        this.backfiller = new Backfiller(engine, dags);
        recoverEarlierSession();
        engine.storage().listen(new RemoteChanges(engine));
        OPEN.add(this);
        ExitHook.install(Queuack::closeAllAtExit);
    }

    /** @return a builder to choose the store, default queue, clock, JSON mapper, result limit and back-pressure */
    public static QueuackBuilder builder() {
        return new QueuackBuilder();
    }

    /** Opens (creating if needed) a queue in a DuckDB file. */
    public static Queuack open(Path file) {
        return builder().duckdb(file).open();
    }

    /**
     * Opens a queue at {@code location}: a PostgreSQL JDBC URL ({@code jdbc:postgresql://host/database?user=app},
     * with the queuack-postgres jar on the class path), or else the path of a DuckDB file.
     */
    public static Queuack open(String location) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith("jdbc:")) {
            return builder().url(location).open();
        }
        return open(Path.of(location));
    }

    /**
     * Copies everything the store at {@code from} holds (jobs with their arguments, results, errors and attempts,
     * DAG runs and their dependencies, paused queues) into the empty store at {@code to}: the way a notebook's
     * DuckDB prototype becomes a team's PostgreSQL queue with its history, or a PostgreSQL queue becomes a local
     * snapshot. Neither may be open elsewhere in this JVM (for an open queue, use {@link #copyTo}). Locations are
     * what {@link #open(String)} takes.
     *
     * @return rows copied per table ({@code jobs}, {@code dag_runs}, {@code job_dependencies}, {@code queues})
     * @throws IllegalStateException if the target already holds jobs or runs
     */
    public static Map<String, Long> copy(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        try (Storage source = QueuackBuilder.storageAt(from)) {
            return copy(source, to);
        }
    }

    /**
     * Copies everything this queue's store holds into the empty store at {@code target} (a PostgreSQL URL or a
     * new DuckDB file), from one consistent snapshot while the queue stays open; see {@link #copy(String, String)}.
     *
     * @return rows copied per table
     */
    public Map<String, Long> copyTo(String target) {
        Objects.requireNonNull(target, "target");
        engine.checkOpen();
        return copy(engine.storage(), target);
    }

    private static Map<String, Long> copy(Storage source, String to) {
        try (Storage target = QueuackBuilder.storageAt(to);
             Connection in = sqlOf(source); Connection out = sqlOf(target)) {
            Map<String, Long> copied = StoreCopy.copy(in, out);
            LOG.log(System.Logger.Level.INFO, "Copied {0} into {1}: {2}", source.description(), target.description(),
                    copied);
            return copied;
        } catch (SQLException e) {
            throw new StorageException("Copying " + source.description() + " to " + to.replaceAll("\\?.*$", "")
                    + " failed; the target was left empty: " + e.getMessage(), e);
        }
    }

    private static Connection sqlOf(Storage store) throws SQLException {
        return store.openSqlConnection().orElseThrow(() -> new IllegalArgumentException("A copy needs SQL stores"
                + " (DuckDB or PostgreSQL); " + store.description() + " has no tables to copy"));
    }

    /** Opens a queue in memory (plain Java collections; nothing is kept after close). */
    public static Queuack inMemory() {
        return builder().inMemory().open();
    }

    /**
     * Closes every queue this JVM opened and has not closed: the way out when a reference was lost,
     * e.g. after re-running a notebook cell that opened a queue file.
     *
     * @return how many were closed
     */
    public static int closeAll() {
        List<Queuack> open = new ArrayList<>(OPEN);
        open.forEach(Queuack::close);
        return open.size();
    }

    /** At JVM shutdown (System.exit, SIGTERM, end of main): store what the open queues hold, and close them. */
    private static void closeAllAtExit() {
        for (Queuack queue : List.copyOf(OPEN)) {
            try {
                List.copyOf(queue.pools).forEach(WorkerPool::closeAtExit);
                queue.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Closing " + queue.description() + " at JVM shutdown failed", e);
            }
        }
    }

    private void recoverEarlierSession() {
        if (!engine.storage().isExclusive()) {
            return;
        }
        Changes changes = engine.storage().recoverAfterRestart(engine.sessionId(), engine.now(),
                JobError.of("io.queuack.WorkerLost", "the process that was running this job stopped before it finished"
                        + " (crash, kill or close without drain); it runs again while attempts remain"),
                JobError.of("io.queuack.InProcessJobOrphaned", "this in-process (lambda) job belonged to a session"
                        + " that ended; its code no longer exists. Enqueue it again, or register a named task with"
                        + " Queuack#register so that jobs survive restarts"));
        if (!changes.isEmpty()) {
            EnumMap<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
            changes.jobs().forEach(change -> counts.merge(change.to(), 1, Integer::sum));
            LOG.log(System.Logger.Level.INFO, "Opened {0}: recovered jobs an earlier process left unfinished: {1}",
                    engine.storage().description(), counts);
        }
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Registers a named task: durable, since jobs store only its name. Registering a name again replaces
     * its code (handy when a notebook cell is re-run); after a restart, registering it lets its pending
     * jobs run.
     *
     * @param name         1-200 letters, digits or {@code _ . : / $ -}
     * @param argumentType the type jobs' JSON arguments are read into
     * @param task         the code
     * @return this queue
     */
    public <A> Queuack register(String name, Class<A> argumentType, Task<A> task) {
        engine.checkOpen();
        engine.registry().register(name, argumentType, task, engine.codec());
        wakeAllQueues();
        return this;
    }

    /** Registers a named task that takes no argument. See {@link #register(String, Class, Task)}. */
    public Queuack register(String name, SimpleTask task) {
        engine.checkOpen();
        engine.registry().register(name, task);
        wakeAllQueues();
        return this;
    }

    /** @return the names of the tasks this session can run */
    public Set<String> tasks() {
        return engine.registry().names();
    }

    /** @return the names of the DAGs registered in this session ({@link #register(Dag)}) */
    public Set<String> dags() {
        return engine.registry().dagNames();
    }

    /**
     * @return the DAG registered ({@link #register(Dag)}, a {@link TaskSet}) or submitted under {@code name} in this
     *         session, to submit by name (sub-DAGs are found through their parents)
     */
    public Optional<Dag> dag(String name) {
        Objects.requireNonNull(name, "name");
        return dags.registered(name);
    }

    private void wakeAllQueues() {
        engine.jobsAdded(null, engine.now());
    }

    // ---------------------------------------------------------------- enqueue

    /** Enqueues a job of a registered task without argument, with default options. @return its id */
    public long enqueue(String task) {
        return enqueue(task, null, JobOptions.defaults());
    }

    /** Enqueues a job of a registered task with default options. @return its id */
    public long enqueue(String task, Object argument) {
        return enqueue(task, argument, JobOptions.defaults());
    }

    /**
     * Enqueues one job. The argument is stored as JSON; when this returns, the job is committed.
     *
     * @param task     a registered task name
     * @param argument a JSON-serialisable value, or null
     * @param options  queue, priority, delay, attempts, backoff, timeout, ttl, idempotency key
     * @return the new job's id, or the stored job's id if its idempotency key is already stored
     * @throws UnknownTaskException  if the task is not registered (on a store other processes share, such as
     *                               PostgreSQL, any name may be enqueued: the worker hosts that register it run it)
     * @throws BackpressureException if the queue is over its limit
     */
    public long enqueue(String task, Object argument, JobOptions options) {
        Objects.requireNonNull(options, "options");
        engine.checkOpen();
        return enqueuer.enqueue(task, argument, options);
    }

    /**
     * Enqueues an in-process lambda. It runs only in this session: if the process ends first, the job
     * becomes {@link JobStatus#ORPHANED}. Use a named task for jobs that must survive restarts.
     *
     * @return the job's id
     */
    public long enqueue(SimpleTask lambda) {
        return enqueue(lambda, JobOptions.defaults());
    }

    /** Enqueues an in-process lambda with options. See {@link #enqueue(SimpleTask)}. */
    public long enqueue(SimpleTask lambda, JobOptions options) {
        Objects.requireNonNull(options, "options");
        engine.checkOpen();
        return enqueuer.enqueueLambda(lambda, options);
    }

    /** Enqueues one job per argument with default options, in one transaction. @return their ids, in order */
    public List<Long> enqueueAll(String task, Collection<?> arguments) {
        return enqueueAll(task, arguments, JobOptions.defaults());
    }

    /**
     * Enqueues one job per argument, all with the same options, in one transaction: either every job
     * is stored or none. Fast for large batches (DuckDB's appender).
     *
     * @return their ids, in argument order
     */
    public List<Long> enqueueAll(String task, Collection<?> arguments, JobOptions options) {
        Objects.requireNonNull(options, "options");
        engine.checkOpen();
        return enqueuer.enqueueAll(task, arguments, options);
    }

    /** Enqueues jobs of any tasks and options (each may carry its idempotency key), in one transaction. */
    public List<Long> enqueueAll(List<JobRequest> requests) {
        engine.checkOpen();
        return enqueuer.enqueueAll(requests);
    }

    // ---------------------------------------------------------------- DAGs

    /**
     * Registers the code of every task of {@code dag} (and of its sub-DAGs), so that stored runs of it can
     * go on: after a restart, register the DAG again and its unfinished runs resume. Submitting or running
     * a DAG registers it too.
     *
     * @return this queue
     */
    public Queuack register(Dag dag) {
        Objects.requireNonNull(dag, "dag");
        engine.checkOpen();
        dags.register(dag);
        wakeAllQueues();
        return this;
    }

    /** Submits a run of {@code dag} without parameters; see {@link #submit(Dag, RunOptions)}. */
    public DagRun submit(Dag dag) {
        return submit(dag, RunOptions.defaults());
    }

    /**
     * Stores a run of {@code dag} (all its tasks and dependencies in one transaction) and returns at once.
     * Its tasks are jobs on their queues, run by whatever worker pools listen to them.
     */
    public DagRun submit(Dag dag, RunOptions options) {
        Objects.requireNonNull(dag, "dag");
        Objects.requireNonNull(options, "options");
        engine.checkOpen();
        return new DagRun(engine, dags.submit(dag, options), dag);
    }

    /** Runs {@code dag} without parameters and waits for it; see {@link #run(Dag, RunOptions)}. */
    public DagRun run(Dag dag) {
        return run(dag, RunOptions.defaults());
    }

    /**
     * Submits a run of {@code dag} and runs it to the end with a worker pool of its own that claims only
     * this run's tasks (so it never runs other jobs); parallel branches run in parallel.
     *
     * @return the run, finished unless {@link RunOptions#timeout(Duration)} passed first
     */
    public DagRun run(Dag dag, RunOptions options) {
        return runToEnd(submit(dag, options), options);
    }

    /**
     * Goes on with a stored run of {@code dag} (after a crash or a restart): registers the DAG, then runs what
     * is left with a pool of its own. Tasks that had finished are not run again; their results are reused.
     *
     * @throws IllegalArgumentException if no such run is stored, or it is a run of another DAG
     */
    public DagRun resume(Dag dag, long runId) {
        return runToEnd(dagRun(dag, runId), RunOptions.defaults());
    }

    /**
     * A stored run of {@code dag}, with the DAG's code registered so that its unfinished tasks can run: the
     * handle to {@linkplain #workersFor(DagRun) start workers for} when a run should go on without waiting for
     * it here ({@link #resume(Dag, long)} does both and waits).
     *
     * @throws IllegalArgumentException if no such run is stored, or it is a run of another DAG
     */
    public DagRun dagRun(Dag dag, long runId) {
        Objects.requireNonNull(dag, "dag");
        engine.checkOpen();
        String stored = engine.storage().findRun(runId).map(record -> record.dag()).orElseThrow(() ->
                new IllegalArgumentException("No DAG run with id " + runId + " is stored"));
        if (!stored.equals(dag.name())) {
            throw new IllegalArgumentException("Run " + runId + " is a run of DAG '" + stored + "', not of '"
                    + dag.name() + "'");
        }
        register(dag);
        return new DagRun(engine, runId, dag);
    }

    /**
     * A worker pool for one run: it claims only the tasks of {@code run} and of its sub-runs, on every queue
     * they use, and never another job. Concurrency and the other settings can still be chosen.
     *
     * @throws IllegalArgumentException if the run was found by id alone ({@link #dagRun(long)}), so that its
     *                                  DAG's code is unknown here: get it with {@link #dagRun(Dag, long)}
     */
    public WorkerPoolBuilder workersFor(DagRun run) {
        Objects.requireNonNull(run, "run");
        engine.checkOpen();
        Dag dag = run.dag().orElseThrow(() -> new IllegalArgumentException("Run " + run.id() + " was found by id"
                + " alone, so its DAG's code is not known here: get it with dagRun(dag, " + run.id() + ")"));
        WorkerPoolBuilder builder = workers().onlyRun(run.rootId());
        dags.queuesOf(dag).forEach(builder::queue);
        return builder;
    }

    /**
     * A worker pool for one backfill: it claims only its slots and the tasks of their runs.
     */
    public WorkerPoolBuilder workersFor(BackfillRun run) {
        Objects.requireNonNull(run, "run");
        engine.checkOpen();
        Dag dag = dags.registered(run.dagName()).orElseThrow(() -> new IllegalArgumentException("Backfill " + run.id()
                + " runs DAG '" + run.dagName() + "', which is not registered here: register it first"));
        WorkerPoolBuilder builder = workers().onlyRun(run.id()).queue(engine.defaultQueue());
        dags.queuesOf(dag).forEach(builder::queue);
        return builder;
    }

    // ---------------------------------------------------------------- backfills

    /**
     * Stores a backfill: one parent run with a run of the DAG per slot, at most {@link Backfill#concurrency()} slots at
     * once across every worker of the store. It runs while worker pools of the store run ({@link #workers()}, or
     * {@link #workersFor(BackfillRun)} for this backfill alone). Storing the same backfill again (the same DAG, slots,
     * parameters and reuse) returns it while it runs or once it succeeded, and starts it again after it failed:
     * with result reuse, only what failed runs again.
     *
     * @return its handle
     */
    public BackfillRun backfill(Backfill backfill) {
        Objects.requireNonNull(backfill, "backfill");
        engine.checkOpen();
        return new BackfillRun(engine, backfiller.submit(backfill), backfill.dag());
    }

    /** @return a handle on a stored backfill, if {@code runId} is the parent run of one */
    public Optional<BackfillRun> backfillRun(long runId) {
        engine.checkOpen();
        return engine.storage().findRun(runId).filter(run -> Backfiller.isBackfill(run.dag()))
                .map(run -> new BackfillRun(engine, run.id(), dags.registered(Backfiller.dagOf(run.dag())).orElse(null)));
    }

    /** @return the backfills of the DAG named {@code dag}, newest first, at most {@code limit} */
    public List<BackfillRun> backfills(String dag, int limit) {
        Objects.requireNonNull(dag, "dag");
        return dagRuns(dag + Backfiller.SUFFIX, limit).stream()
                .map(run -> new BackfillRun(engine, run.id(), dags.registered(dag).orElse(null))).toList();
    }

    private DagRun runToEnd(DagRun run, RunOptions options) {
        if (run.isFinished()) {
            return run;
        }
        WorkerPoolBuilder builder = workersFor(run);
        if (options.workers() > 0) {
            builder.concurrency(options.workers());
        }
        WorkerPool pool = builder.start();
        try {
            run.await(options.timeout() == null ? ChronoUnit.FOREVER.getDuration() : options.timeout());
        } finally {
            pool.close(RUN_POOL_GRACE);     // at once if this thread was interrupted (a notebook's stop button)
        }
        return run;
    }

    /** @return a handle on a stored DAG run, if any */
    public Optional<DagRun> dagRun(long runId) {
        engine.checkOpen();
        return engine.storage().findRun(runId).map(record -> new DagRun(engine, record.id(), null));
    }

    /** @return the runs of the DAG named {@code dag} (every DAG, for null), newest first */
    public List<DagRun> dagRuns(String dag, int limit) {
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("Limit must be between 1 and " + JobQuery.MAX_LIMIT + ", was " + limit);
        }
        engine.checkOpen();
        return engine.storage().findRuns(dag, limit).stream().map(record -> new DagRun(engine, record.id(), null))
                .toList();
    }

    /**
     * @return the runs of the DAG named {@code dag} (every DAG, for null), newest first, as stored now: one read
     *         for them all (a {@link DagRun} handle reads the store on every call)
     */
    public List<RunSummary> runSummaries(String dag, int limit) {
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("Limit must be between 1 and " + JobQuery.MAX_LIMIT + ", was " + limit);
        }
        engine.checkOpen();
        return engine.storage().findRuns(dag, limit).stream().map(run -> new RunSummary(run.id(), run.dag(),
                run.status(), run.parentJobId(), run.createdAt(), run.finishedAt(), run.taskCount(), run.unfinished()))
                .toList();
    }

    // ---------------------------------------------------------------- inspect

    /** @return the stored job, if any */
    public Optional<Job> job(long jobId) {
        engine.checkOpen();
        return engine.storage().find(jobId);
    }

    /**
     * @return every attempt of a job, oldest first: those that failed (retried later, dead, or lost with their
     *         worker) with their errors and stack traces, then the one running or that succeeded; empty for a job
     *         that never started or is not stored
     */
    public List<Attempt> attempts(long jobId) {
        engine.checkOpen();
        Optional<Job> job = engine.storage().find(jobId);
        if (job.isEmpty()) {
            return List.of();
        }
        List<Attempt> attempts = new ArrayList<>(engine.storage().attempts(jobId));
        Job current = job.get();
        if ((current.status() == JobStatus.RUNNING || current.status() == JobStatus.SUCCEEDED) && current.attempts() > 0) {
            attempts.add(new Attempt(current.attempts(), current.worker(), current.startedAt(),
                    current.status() == JobStatus.RUNNING ? null : current.finishedAt(), current.status(), null));
        }
        return attempts;
    }

    /**
     * Waits until the job reaches a terminal status ({@link JobStatus#TERMINAL}) or the timeout passes.
     *
     * @return the job as it is then: check {@link Job#status()} to tell which happened
     * @throws JobNotFoundException if no such job is stored
     */
    public Job await(long jobId, Duration timeout) {
        long timeoutNanos = Limits.waitNanos("timeout", timeout);
        engine.checkOpen();
        Object signal = new Object();
        JobListener wakeOnEnd = new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                if (event.jobId() == jobId && event.to().isTerminal()) {
                    synchronized (signal) {
                        signal.notifyAll();
                    }
                }
            }
        };
        long deadline = System.nanoTime() + timeoutNanos;
        try (Subscription ignored = engine.events().subscribe(wakeOnEnd)) {
            while (true) {
                Job job = engine.storage().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
                long left = deadline - System.nanoTime();
                if (job.status().isTerminal() || left <= 0) {
                    return job;
                }
                synchronized (signal) {
                    signal.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueuackException("Interrupted while waiting for job " + jobId, e);
        }
    }

    /**
     * @return the result of a SUCCEEDED job, read from JSON as {@code type} (null if the task returned null)
     * @throws IllegalJobStateException if the job has not succeeded
     */
    public <T> T result(long jobId, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Job job = job(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalJobStateException(jobId, job.status(), "only a SUCCEEDED job has a result"
                    + (job.error() == null ? "" : "; last error: " + job.error().summary()));
        }
        try {
            return engine.codec().read(job.resultJson(), type, "the result of job " + jobId);
        } catch (NonRetryableException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @return jobs matching the query */
    public List<Job> jobs(JobQuery query) {
        Objects.requireNonNull(query, "query");
        engine.checkOpen();
        return engine.storage().find(query);
    }

    /**
     * @param limit at most this many, newest first
     * @return dead letters: DEAD jobs (attempts used up) and ORPHANED in-process jobs, with their last
     *         error and stack trace
     */
    public List<Job> deadLetters(int limit) {
        return jobs(JobQuery.all().status(JobStatus.DEAD, JobStatus.ORPHANED).newestFirst().limit(limit));
    }

    /** @return per-queue job counts, sorted by queue name */
    public List<QueueStats> stats() {
        engine.checkOpen();
        return engine.storage().stats(engine.now());
    }

    /**
     * @param window how far back to look, 1 minute to 7 days
     * @return per queue and minute, the jobs that finished (succeeded, or failed an attempt or went dead), sorted by
     *         minute then queue; minutes without finished jobs are left out
     */
    public List<Throughput> throughput(Duration window) {
        if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("The throughput window must be between 1 minute and 7 days, was " + window);
        }
        engine.checkOpen();
        return engine.storage().throughput(engine.now().minus(window));
    }

    /** @return the counts of one queue (all zero if it has no jobs) */
    public QueueStats stats(String queue) {
        JobOptions.checkQueueName(queue);
        return stats().stream().filter(s -> s.queue().equals(queue)).findFirst()
                .orElseGet(() -> new QueueStats(queue, false, new EnumMap<>(JobStatus.class), 0));
    }

    // ---------------------------------------------------------------- operate

    /**
     * Puts a DEAD, CANCELLED or EXPIRED job back to PENDING with a fresh set of attempts.
     *
     * @throws IllegalJobStateException if the job is in another status
     */
    public void retry(long jobId) {
        engine.checkOpen();
        Job job = engine.storage().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        if (!JobStatus.RETRYABLE.contains(job.status())) {
            throw new IllegalJobStateException(jobId, job.status(), "only " + JobStatus.RETRYABLE + " jobs can be retried"
                    + (job.status() == JobStatus.ORPHANED
                    ? "; an orphaned job's lambda no longer exists: enqueue the work again" : ""));
        }
        Instant now = engine.now();
        Changes changes = engine.storage().transition(jobId, job.status(), JobStatus.PENDING, now);
        if (changes.isEmpty()) {
            throw new IllegalJobStateException(jobId, job.status(), "it changed while being retried; look at it again");
        }
        engine.announce(changes, now);
    }

    /**
     * Cancels a job that has not finished. A running job's task sees {@link JobContext#isCancelled()} and
     * its thread is interrupted; whatever it returns afterwards is discarded.
     *
     * @return true if the job was cancelled, false if it had already finished
     * @throws JobNotFoundException if no such job is stored
     */
    public boolean cancel(long jobId) {
        engine.checkOpen();
        for (int race = 0; race < MAX_CANCEL_RACES; race++) {
            Job job = engine.storage().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            if (!JobStatus.CANCELLABLE.contains(job.status())) {
                return false;
            }
            Instant now = engine.now();
            Changes changes = engine.storage().transition(jobId, job.status(), JobStatus.CANCELLED, now);
            if (!changes.isEmpty()) {
                engine.announce(changes, now);
                if (job.status() == JobStatus.RUNNING) {
                    engine.held().cancel(jobId);
                }
                return true;
            }
        }
        throw new QueuackException("Job " + jobId + " kept changing status while being cancelled; try again");
    }

    /**
     * Deletes finished jobs of the given statuses whose finish time is older than {@code olderThan}.
     *
     * @param olderThan zero to {@link Limits#MAX_DURATION}; {@code Duration.ZERO} purges every matching job
     * @param first     a terminal status (SUCCEEDED, DEAD, CANCELLED, EXPIRED, ORPHANED)
     * @param more      more terminal statuses
     * @return how many jobs were deleted
     */
    public int purge(Duration olderThan, JobStatus first, JobStatus... more) {
        return purge(null, olderThan, first, more);
    }

    /** Like {@link #purge(Duration, JobStatus, JobStatus...)}, for one queue only. */
    public int purge(String queue, Duration olderThan, JobStatus first, JobStatus... more) {
        Limits.storable("olderThan", olderThan);
        Objects.requireNonNull(first, "status");
        EnumSet<JobStatus> statuses = EnumSet.of(first, more);
        for (JobStatus status : statuses) {
            if (!status.isTerminal()) {
                throw new IllegalArgumentException("Only finished jobs can be purged (" + JobStatus.TERMINAL + "), not "
                        + status + "; cancel waiting or running jobs first");
            }
        }
        if (queue != null) {
            JobOptions.checkQueueName(queue);
        }
        engine.checkOpen();
        return engine.storage().purge(statuses, engine.now().minus(olderThan), queue);
    }

    /** Pauses a queue: worker pools stop claiming its jobs (running ones finish). Remembered across restarts. */
    public void pause(String queue) {
        setPaused(queue, true);
    }

    /** Resumes a paused queue. */
    public void resume(String queue) {
        setPaused(queue, false);
    }

    /** @return whether the queue is paused */
    public boolean isPaused(String queue) {
        JobOptions.checkQueueName(queue);
        engine.checkOpen();
        return engine.storage().pausedQueues().contains(queue);
    }

    private void setPaused(String queue, boolean paused) {
        JobOptions.checkQueueName(queue);
        engine.checkOpen();
        engine.storage().setPaused(queue, paused, engine.now());
        engine.pausedChanged();
    }

    /**
     * Subscribes to every job event (enqueues, status changes, progress). See {@link JobListener} for the
     * delivery contract.
     *
     * @return the subscription; close it to unsubscribe
     */
    public Subscription listen(JobListener listener) {
        engine.checkOpen();
        return engine.events().subscribe(listener);
    }

    /**
     * @return the worker pools that use this queue's store, oldest first: on PostgreSQL every pool of every
     *         process on every host (with its host, process id, queues, heartbeat and held jobs; pools that stopped
     *         or fell silent are kept for a day), on DuckDB and in memory this session's running pools. To start
     *         a pool, use {@link #workers()}.
     */
    public List<WorkerInfo> workerPools() {
        engine.checkOpen();
        if (!engine.storage().isExclusive()) {
            return engine.storage().workers();
        }
        return pools.stream().map(WorkerPool::info).sorted(Comparator.comparing(WorkerInfo::startedAt)).toList();
    }

    /** @return this session's worker pools that are open, oldest first (metrics read their busy workers) */
    public List<WorkerPool> openPools() {
        return pools.stream().filter(pool -> !pool.isClosed()).sorted(Comparator.comparing(pool -> pool.info().startedAt()))
                .toList();
    }

    /** @return a builder for a worker pool that runs this queue's jobs */
    public WorkerPoolBuilder workers() {
        engine.checkOpen();
        return new WorkerPoolBuilder(engine, pools, schedules::startTicking);
    }

    /**
     * @return the recurring schedules of this queue's store (cron expressions or intervals that start jobs and DAG
     *         runs): save, list, pause, resume, delete; slots fire while a worker pool of this queue runs
     */
    public Schedules schedules() {
        engine.checkOpen();
        return schedules;
    }

    /**
     * @return the limits of this queue's store (at most N running at once, at most M starts per window, per queue,
     *         task or key): set, list, remove, and why a waiting job does not start
     */
    public JobLimits limits() {
        engine.checkOpen();
        return limits;
    }

    /** @return the queue jobs go to when their options name none */
    public String defaultQueue() {
        return engine.defaultQueue();
    }

    /** @return what stores the jobs, e.g. {@code "DuckDB file /data/jobs.duckdb"} */
    public String description() {
        return engine.storage().description();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Shuts down this queue's worker pools (gracefully, each with its grace period), delivers pending
     * events and closes the store. Closing twice does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (engine.isClosed()) {
                return;
            }
            engine.markClosed();
        }
        try {
            schedules.stopTicking();
            for (WorkerPool pool : List.copyOf(pools)) {
                pool.close();
            }
            engine.events().close();
        } finally {
            OPEN.remove(this);
            try {
                engine.storage().close();
            } finally {
                engine.dataDirectory().close();
            }
        }
    }

    /**
     * Writes a consistent copy of the queue (every job, run, result and paused queue) to a new DuckDB file at
     * {@code target} while it stays open and its pools keep running (their writes wait for the copy). A plain
     * copy of an open queue's file can miss the newest changes, which wait in its write-ahead log; open the
     * backup like any queue file.
     *
     * @throws IllegalArgumentException      if {@code target} exists
     * @throws UnsupportedOperationException for the in-memory Java store
     */
    public void backup(Path target) {
        Objects.requireNonNull(target, "target");
        engine.checkOpen();
        engine.storage().backup(target);
    }

    /**
     * Opens a JDBC connection of your own to the queue's database, for SQL over the {@code jobs} and
     * {@code dag_runs} tables (a DuckDB store: a second connection to the same database; reads see committed
     * state). Close it when done; do not write through it.
     *
     * @return the connection, or empty for stores without SQL (the in-memory Java store)
     */
    public Optional<Connection> openSqlConnection() {
        engine.checkOpen();
        try {
            return engine.storage().openSqlConnection();
        } catch (SQLException e) {
            throw new StorageException("Cannot open a connection to " + description() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the folder where tasks keep the files they write, such as Arrow datasets (created on first call);
     *         see {@link QueuackBuilder#dataDirectory(Path)}
     */
    public Path dataDirectory() {
        engine.checkOpen();
        return engine.dataDirectory().path();
    }

    @Override
    public String toString() {
        return "Queuack[" + description() + (isClosed() ? ", closed" : "") + "]";
    }
}
