package io.queuack.storage;

import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import io.queuack.job.WorkerInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs and DAG runs live. Every backend passes the same contract test suite
 * ({@code StorageContractTest} and {@code RunStorageContractTest} in the core test jar). Implementations
 * are thread-safe; each method is atomic (one transaction), and every status change is guarded by the
 * job's current status as listed in {@link JobStatus}.
 *
 * <p>Whenever a DAG task reaches a terminal status, storage settles its run in the same transaction:
 * BLOCKED downstream tasks whose dependency mode is now met become PENDING, those that can no longer
 * be met become SKIPPED (and so on down the graph), and a run whose tasks have all finished gets its
 * final status. The methods that change statuses report all of it as {@link Changes}.
 *
 * <p>Storage does not know task code, JSON or threads: arguments and results arrive as JSON text, and
 * time always comes from the caller (so tests can drive a clock).
 */
public interface Storage extends AutoCloseable {


    /** @return a short description for messages, e.g. {@code "DuckDB file /data/jobs.duckdb"} */
    String description();

    /**
     * @return a new JDBC connection to the store's database for queries of your own (the {@code jobs} and
     *         {@code dag_runs} tables), which the caller closes; empty for stores without SQL
     * @throws SQLException if the database refuses a connection
     */
    default Optional<Connection> openSqlConnection() throws SQLException {
        return Optional.empty();
    }

    /**
     * @return true when no other process can use this store while it is open (DuckDB, memory).
     *         On open, jobs left RUNNING by an earlier process can then be recovered at once.
     */
    boolean isExclusive();

    /**
     * Starts telling {@code listener} what other processes change in this store, until it closes. Stores that
     * only one process uses have nothing to tell and ignore the call.
     */
    default void listen(StoreListener listener) {
    }

    /** @return true when what is stored outlives this object (a database file), false for stores in memory */
    boolean isDurable();

    /** Inserts the batches in one transaction and assigns ids. */
    List<Inserted> insert(List<JobBatch> batches);

    /** Inserts a DAG run with its tasks and dependencies in one transaction. */
    RunInserted insertRun(RunPlan plan);

    /** Applies completions, progress, lease renewal and claims in one transaction, settling DAG runs. */
    CycleResult cycle(CycleRequest request);

    /**
     * RUNNING jobs whose lease ended at or before {@code now} go to FAILED (due at once) while attempts
     * remain, else DEAD; {@code error} is stored with them. A job whose attempt never started (its start was
     * not stored) is given back instead, without using an attempt, unless its previous attempt was lost the
     * same way: a second loss in a row is charged like a started attempt.
     */
    Changes recoverExpiredLeases(Instant now, JobError error);

    /**
     * For exclusive stores, right after open: in-process jobs of other sessions that have not finished
     * become ORPHANED (with {@code orphaned}); then every RUNNING job is recovered as if its lease had
     * ended (with {@code lostWorker}), unstarted attempts given back as {@link #recoverExpiredLeases} does.
     */
    Changes recoverAfterRestart(String sessionId, Instant now, JobError lostWorker, JobError orphaned);

    /** Waiting jobs whose time-to-live ended at or before {@code now} become EXPIRED. */
    Changes expire(Instant now, JobError error);

    /**
     * Moves one job from {@code expected} to {@code to} if it is still in {@code expected}. Allowed
     * targets: CANCELLED (from BLOCKED, PENDING, FAILED, RUNNING; sets finished time, drops the lease) and
     * PENDING (from DEAD, CANCELLED, EXPIRED: a retry; attempts restart at zero, due now). A retried DAG
     * task with upstream tasks goes to BLOCKED instead and is evaluated at once (PENDING if they allow it now,
     * SKIPPED if they never can, else BLOCKED until they finish). Retrying a DAG task also puts the downstream
     * tasks that were skipped because of it back to BLOCKED, and its run back to RUNNING.
     *
     * @return the changes, empty if the job was not in {@code expected}
     */
    Changes transition(long jobId, JobStatus expected, JobStatus to, Instant now);

    /** Cancels every unfinished task of a run tree (the run and its sub-runs) and the runs themselves. */
    Changes cancelRun(long rootRunId, Instant now);

    /** @return the job, if stored */
    Optional<Job> find(long jobId);

    /** @return jobs matching the query, in its order, at most its limit */
    List<Job> find(JobQuery query);

    /** @return the run, if stored */
    Optional<RunRecord> findRun(long runId);

    /** @return runs of the DAG named {@code dag} (or of every DAG, for null), newest first, at most {@code limit} */
    List<RunRecord> findRuns(String dag, int limit);

    /** @return the runs spawned by jobs of run {@code runId} (sub-DAGs, fan-outs), by id */
    List<RunRecord> childRuns(long runId);

    /** @return the jobs of one run (not of its sub-runs), by id */
    List<Job> runJobs(long runId);

    /** @return the dependencies between the jobs of one run, as {@code {child id, parent id}} pairs */
    List<long[]> runDependencies(long runId);

    /** @return the direct upstream tasks of a job, by id */
    List<Job> upstreamJobs(long jobId);

    /** @return the result of the newest SUCCEEDED job stored with this cache key, if any */
    Optional<String> cachedResult(String cacheKey);

    /** @return the attempts of a job that failed (FAILED or DEAD, with their errors), oldest first */
    List<Attempt> attempts(long jobId);

    /** @return per-queue counts, one entry per queue that has jobs or was paused, sorted by name */
    List<QueueStats> stats(Instant now);

    /**
     * @return per queue and minute, the jobs whose latest finish (success, failed attempt or dead) fell at or after
     *         {@code since}, sorted by minute then queue; minutes without such jobs are left out
     */
    List<Throughput> throughput(Instant since);

    /** @return waiting (PENDING and FAILED) jobs per queue; queues without waiting jobs may be absent */
    Map<String, Long> waitingCounts();

    /**
     * Deletes jobs in one of {@code statuses} (terminal only) that finished before {@code finishedBefore};
     * jobs of a run that is still running are kept, and runs whose jobs are all deleted go too.
     *
     * @param queue only this queue, or null for all
     * @return how many jobs were deleted
     */
    int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue);

    /** Pauses or resumes a queue; remembered across restarts. */
    void setPaused(String queue, boolean paused, Instant now);

    /** @return the paused queues */
    Set<String> pausedQueues();

    /**
     * Writes a consistent copy of everything the store holds to a new file at {@code target} while the store
     * stays open (writes wait meanwhile): the way to back up a live queue, since a plain copy of an open
     * queue's file misses what its write-ahead log still holds.
     *
     * @throws UnsupportedOperationException for stores that cannot copy themselves to a file
     */
    default void backup(Path target) {
        throw new UnsupportedOperationException(description() + " cannot be backed up to a file; use a DuckDB store"
                + " (Queuack.builder().duckdb(file) or duckdbInMemory())");
    }

    /**
     * Records a worker pool's heartbeat (inserting it the first time), for stores that several processes share;
     * others ignore it (their pools are all in this process). Rows of pools silent for a day are dropped.
     */
    default void heartbeat(WorkerInfo worker) {
    }

    /** @return the worker pools whose heartbeats this store keeps (none for stores of one process), by start */
    default List<WorkerInfo> workers() {
        return List.of();
    }

    // ---------------------------------------------------------------- schedules

    /**
     * Stores a new schedule ({@code expectedVersion} 0: only if none has its name) or changes a stored one
     * (only if its version is still {@code expectedVersion}); {@code row} carries the new version.
     *
     * @return true if written, false if the name was taken or the version had moved on
     */
    boolean putSchedule(ScheduleRow row, long expectedVersion);

    /** @return true if a schedule of that name was stored and is now deleted (its fired jobs and runs stay) */
    boolean deleteSchedule(String name);

    /** @return the stored schedule of that name */
    Optional<ScheduleRow> schedule(String name);

    /** @return every stored schedule, by name */
    List<ScheduleRow> schedules();

    /**
     * @param dags the DAGs whose schedules the caller can fire (task schedules are always due)
     * @return schedules not paused whose next fire time is at or before {@code now}, soonest first, at most
     *         {@code limit}
     */
    List<ScheduleRow> dueSchedules(Instant now, Set<String> dags, int limit);

    /** @return the soonest next fire time of the schedules not paused that the caller can fire, if any */
    Optional<Instant> nextFireTime(Set<String> dags);

    /**
     * Fires schedules in one transaction: writes each one's row only if its stored version is still
     * {@code firing.expectedVersion()}, and then inserts the jobs and runs of those written.
     *
     * @return per firing, in order, what was inserted, or empty if its version had moved on (another process fired
     *         it first)
     */
    List<Optional<ScheduleFired>> fireSchedules(List<ScheduleFiring> firings);

    // ---------------------------------------------------------------- limits

    /**
     * Stores {@code limit}, replacing the stored one of the same scope and name. From the next claim on, every
     * worker pool of the store obeys it: claims count the running jobs and recent starts of each subject in the
     * claiming transaction (on a store many processes share, under a lock that makes claims of limited jobs take
     * turns) and leave the jobs a full limit holds back.
     */
    void putLimit(JobLimit limit, Instant now);

    /** @return true if a limit of that scope and name was stored and is now deleted */
    boolean deleteLimit(JobLimit.Scope scope, String name);

    /** @return every stored limit, by scope and name */
    List<JobLimit> limits();

    /** @return what the stored limits count at {@code now}: running jobs and the starts inside their windows */
    LimitUsage limitUsage(Instant now);

    /** Closes the store; later calls fail. Closing twice does nothing. */
    @Override
    void close();
}
