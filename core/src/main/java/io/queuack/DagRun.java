package io.queuack;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.dag.Dag;
import io.queuack.draw.Drawable;
import io.queuack.draw.Picture;
import io.queuack.error.QueuackException;
import io.queuack.job.IllegalJobStateException;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.Limits;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handle on one stored run of a DAG: its status, its tasks' states, results, errors and timings,
 * waiting for it, cancelling it and drawing it. Every call reads the current state from storage (the
 * run's status is kept current by storage as tasks finish, without polling).
 */
public final class DagRun implements Drawable {

    /** How often an await looks at the stored run itself, on a store other processes share. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Engine engine;
    private final long id;
    private final Dag dag;

    DagRun(Engine engine, long id, Dag dag) {
        this.engine = engine;
        this.id = id;
        this.dag = dag;
    }

    /** @return the run's id */
    public long id() {
        return id;
    }

    /** @return the DAG definition this handle was made with, if it was made from one */
    public Optional<Dag> dag() {
        return Optional.ofNullable(dag);
    }

    /** @return the DAG's name */
    public String dagName() {
        return record().dag();
    }

    public RunStatus status() {
        return record().status();
    }

    public boolean isFinished() {
        return status().isFinished();
    }

    /** @return when the run was submitted */
    public Instant createdAt() {
        return record().createdAt();
    }

    /** @return when it finished, or null */
    public Instant finishedAt() {
        return record().finishedAt();
    }

    /** @return the run's parameters, as JSON trees */
    public Map<String, Object> parameters() {
        Map<?, ?> read = engine.codec().read(record().parametersJson(), engine.codec().type(Map.class),
                "the parameters of run " + id);
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (read != null) {
            read.forEach((key, value) -> parameters.put(String.valueOf(key), value));
        }
        return Collections.unmodifiableMap(parameters);
    }

    /** @return every task's state, in declaration order */
    public List<RunTask> tasks() {
        return engine.storage().runJobs(id).stream().map(RunTask::of).toList();
    }

    /** @return one task's state */
    public RunTask task(String name) {
        return tasks().stream().filter(task -> task.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Run " + id + " has no task named '" + name + "'; its"
                        + " tasks are " + tasks().stream().map(RunTask::name).toList()));
    }

    /**
     * @return the result of a SUCCEEDED task, read as {@code type}
     * @throws IllegalJobStateException if the task has not succeeded
     */
    public <T> T result(String task, Class<T> type) {
        return engine.codec().read(succeeded(task).resultJson(), engine.codec().type(type), "the result of task '" + task + "'");
    }

    /** Like {@link #result(String, Class)}, for generic types. */
    public <T> T result(String task, TypeReference<T> type) {
        return engine.codec().read(succeeded(task).resultJson(), engine.codec().type(type), "the result of task '" + task + "'");
    }

    private RunTask succeeded(String name) {
        RunTask task = task(name);
        if (task.status() != JobStatus.SUCCEEDED) {
            throw new IllegalJobStateException(task.jobId(), task.status(), "task '" + name + "' of run " + id
                    + " has no result" + (task.error() == null ? "" : "; " + task.error().summary()));
        }
        return task;
    }

    /** @return the results of the tasks that succeeded, by name, as JSON trees */
    public Map<String, Object> results() {
        Map<String, Object> results = new LinkedHashMap<>();
        for (RunTask task : tasks()) {
            if (task.status() == JobStatus.SUCCEEDED) {
                results.put(task.name(), engine.codec().read(task.resultJson(), engine.codec().type(Object.class),
                        "the result of task '" + task.name() + "'"));
            }
        }
        return Collections.unmodifiableMap(results);
    }

    /** @return the error of each task that has not succeeded and has one (failures, and reasons for skips) */
    public Map<String, JobError> errors() {
        Map<String, JobError> errors = new LinkedHashMap<>();
        for (RunTask task : tasks()) {
            if (task.status() != JobStatus.SUCCEEDED && task.error() != null) {
                errors.put(task.name(), task.error());
            }
        }
        return Collections.unmodifiableMap(errors);
    }

    /** @return how many tasks the run has (its fan-out elements and sub-DAG tasks are in its sub-runs) */
    public int taskCount() {
        return record().taskCount();
    }

    /** @return the share of tasks that have finished, 0 to 1 */
    public double progress() {
        RunRecord record = record();
        return record.taskCount() == 0 ? 1.0 : (double) (record.taskCount() - record.unfinished()) / record.taskCount();
    }

    /** @return each task's upstream tasks, by name, in declaration order */
    public Map<String, List<String>> dependencies() {
        Map<Long, String> names = new java.util.HashMap<>();
        Map<String, List<String>> upstream = new LinkedHashMap<>();
        for (Job job : engine.storage().runJobs(id)) {
            names.put(job.id(), job.node());
            upstream.put(job.node(), new java.util.ArrayList<>());
        }
        for (long[] pair : engine.storage().runDependencies(id)) {
            upstream.get(names.get(pair[0])).add(names.get(pair[1]));
        }
        upstream.replaceAll((task, parents) -> List.copyOf(parents));
        return Collections.unmodifiableMap(upstream);
    }

    /** @return the job of the task that spawned this run (a sub-DAG or fan-out task), or null for a top-level run */
    public Long spawnedBy() {
        return record().parentJobId();
    }

    /** @return how long the run took, or has taken so far */
    public Duration duration() {
        RunRecord run = record();
        return Duration.between(run.createdAt(), run.finishedAt() == null ? engine.now() : run.finishedAt());
    }

    /** @return the runs this run's tasks spawned (sub-DAGs, fan-outs) */
    public List<DagRun> subRuns() {
        return engine.storage().childRuns(id).stream().map(child -> new DagRun(engine, child.id(), subDag(child)))
                .toList();
    }

    private Dag subDag(RunRecord child) {
        if (dag == null) {
            return null;
        }
        return dag.tasks().stream().filter(task -> task.subDag() != null && task.subDag().name().equals(child.dag()))
                .map(task -> task.subDag()).findFirst().orElse(null);
    }

    /**
     * Waits until the run finishes or the timeout passes.
     *
     * @return its status then (RUNNING if the timeout passed first)
     */
    public RunStatus await(Duration timeout) {
        long deadline = System.nanoTime() + Limits.waitNanos("timeout", timeout);
        CompletableFuture<RunStatus> finished = engine.runs().whenFinished(id);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return status();
                }
                try {
                    return finished.get(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // other processes may finish the run on a shared store; their news can be missed
                    if (!engine.storage().isExclusive()) {
                        engine.runs().recheck();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueuackException("Interrupted while waiting for run " + id, e);
        } catch (ExecutionException e) {
            throw new QueuackException("Waiting for run " + id + " failed", e.getCause());
        }
    }

    /**
     * Cancels the run and its sub-runs: unfinished tasks become CANCELLED (running ones are interrupted and
     * their outcome is discarded) and the run ends CANCELLED.
     *
     * @return false if it had already finished
     */
    public boolean cancel() {
        engine.checkOpen();
        Instant now = engine.now();
        Changes changes = engine.storage().cancelRun(record().rootRunId(), now);
        engine.announce(changes, now);
        for (JobTransition change : changes.jobs()) {
            if (change.from() == JobStatus.RUNNING) {
                engine.held().cancel(change.jobId());
            }
        }
        return !changes.runs().isEmpty();
    }

    /** @return the top-level run of this run's tree (itself unless it is a sub-run) */
    long rootId() {
        return record().rootRunId();
    }

    private RunRecord record() {
        return engine.storage().findRun(id).orElseThrow(() -> new QueuackException("Run " + id + " is no longer"
                + " stored (it was purged)"));
    }

    /** @return a picture of the run as it is now: each task's state and duration, sub-runs inside their tasks */
    @Override
    public Picture picture() {
        return new RunDrawing().draw(this, "");
    }

    @Override
    public String toString() {
        RunRecord run = record();
        return "DagRun[" + run.dag() + " #" + id + ", " + run.status() + ", " + run.taskCount() + " tasks]";
    }
}
