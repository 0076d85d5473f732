package io.queuack;

import io.queuack.dag.RunOptions;
import io.queuack.error.QueuackException;
import io.queuack.error.QueueClosedException;
import io.queuack.event.JobEvent;
import io.queuack.event.RunEvent;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunRecord;
import io.queuack.storage.RunTransition;
import io.queuack.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of one open queue share: storage, clock, JSON codec, task registry, events,
 * back-pressure, the session id, the worker pools and the jobs they hold.
 */
final class Engine {

    private final Storage storage;
    private final Clock clock;
    private final JsonCodec codec;
    private final TaskRegistry registry = new TaskRegistry();
    private final EventBus events = new EventBus();
    private final BackpressureGate gate;
    private final String sessionId = UUID.randomUUID().toString();
    private final String defaultQueue;
    private final Set<WorkerPool> pools = ConcurrentHashMap.newKeySet();
    private final Map<Long, Execution> executions = new ConcurrentHashMap<>();
    private final RunningTasks runningTasks = new RunningTasks();
    private final Set<Long> cancelOnArrival = ConcurrentHashMap.newKeySet();
    private final Map<Long, RunSettings> runSettings = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RunStatus>> runWatchers = new ConcurrentHashMap<>();
    private final DataDirectory dataDirectory;
    private volatile boolean closed;

    Engine(Storage storage, Clock clock, JsonCodec codec, Backpressure backpressure, String defaultQueue,
            DataDirectory dataDirectory) {
        this.storage = storage;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.codec = codec;
        this.gate = new BackpressureGate(backpressure, storage);
        this.defaultQueue = defaultQueue;
    }

    /** @return the current time, truncated to microseconds (the precision storage keeps) */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    DataDirectory dataDirectory() {
        return dataDirectory;
    }

    Storage storage() {
        return storage;
    }

    JsonCodec codec() {
        return codec;
    }

    TaskRegistry registry() {
        return registry;
    }

    EventBus events() {
        return events;
    }

    BackpressureGate gate() {
        return gate;
    }

    String sessionId() {
        return sessionId;
    }

    String defaultQueue() {
        return defaultQueue;
    }

    /** @return the jobs whose task code runs in this JVM now (one execution of a job at a time) */
    RunningTasks runningTasks() {
        return runningTasks;
    }

    Set<WorkerPool> pools() {
        return pools;
    }

    /** Tracks a job a pool of this session claimed, until {@link #release}; cancels it at once if asked meanwhile. */
    void hold(Execution execution) {
        executions.put(execution.jobId(), execution);
        if (cancelOnArrival.remove(execution.jobId())) {
            execution.cancel("cancelled by the user");
        }
    }

    void release(Execution execution) {
        executions.remove(execution.jobId(), execution);
    }

    /**
     * Stops a job that was RUNNING when it was cancelled, if a pool of this session holds it: at once if the
     * pool has registered it, else as soon as it does (the claim is stored before the pool registers it).
     */
    void cancelHeld(long jobId) {
        Execution held = executions.get(jobId);
        if (held == null) {
            cancelOnArrival.add(jobId);
            held = executions.get(jobId);
            if (held == null || !cancelOnArrival.remove(jobId)) {
                return;
            }
        }
        held.cancel("cancelled by the user");
    }

    /**
     * Sends the events of changes storage made, and wakes the pools for jobs that became due (DAG tasks
     * unblocked, retries).
     */
    void announce(Changes changes, Instant at) {
        if (changes.isEmpty()) {
            return;
        }
        if (events.hasListeners()) {
            List<JobEvent> jobEvents = new ArrayList<>(changes.jobs().size());
            for (JobTransition change : changes.jobs()) {
                jobEvents.add(new JobEvent(change.jobId(), change.queue(), change.task(), change.from(), change.to(),
                        change.attempt(), at, change.error()));
            }
            events.statusChanged(jobEvents);
            List<RunEvent> runEvents = new ArrayList<>(changes.runs().size());
            for (RunTransition change : changes.runs()) {
                runEvents.add(new RunEvent(change.runId(), change.dag(), change.from(), change.to(), at));
            }
            events.runsChanged(runEvents);
        }
        Set<String> due = new HashSet<>();
        for (JobTransition change : changes.jobs()) {
            if (JobStatus.WAITING.contains(change.to()) && due.add(change.queue())) {
                jobsAdded(change.queue(), at);
            }
        }
        for (RunTransition change : changes.runs()) {
            if (change.to().isFinished()) {
                runSettings.remove(change.runId());
                CompletableFuture<RunStatus> watcher = runWatchers.remove(change.runId());
                if (watcher != null) {
                    watcher.complete(change.to());
                }
            }
        }
    }

    /** @return a future completed with the run's final status when it finishes (at once if it has) */
    CompletableFuture<RunStatus> whenFinished(long runId) {
        CompletableFuture<RunStatus> watcher = runWatchers.computeIfAbsent(runId, id -> new CompletableFuture<>());
        storage.findRun(runId).map(RunRecord::status).filter(RunStatus::isFinished).ifPresent(status -> {
            runWatchers.remove(runId, watcher);
            watcher.complete(status);
        });
        return watcher;
    }

    /**
     * What the tasks of one DAG run need to know about it, read from storage on first use.
     *
     * @param gate           its concurrency limit
     * @param reuseResults   whether unchanged tasks reuse earlier results
     * @param parametersJson its parameters as JSON, or null
     * @param optionsJson    its options as JSON, or null (sub-runs inherit them)
     */
    record RunSettings(RunGate gate, boolean reuseResults, String parametersJson, String optionsJson) {
    }

    /** @return the settings of a DAG run */
    RunSettings runSettings(long runId) {
        return runSettings.computeIfAbsent(runId, id -> {
            RunRecord run = storage.findRun(id).orElseThrow(() -> new QueuackException("DAG run " + id + " is not stored"));
            Map<?, ?> options = codec.read(run.optionsJson(), codec.type(Map.class), "the options of run " + id);
            Object concurrency = options == null ? null : options.get("concurrency");
            Object reuse = options == null ? null : options.get("reuseResults");
            return new RunSettings(new RunGate(concurrency instanceof Number number ? number.intValue()
                    : RunOptions.DEFAULT_CONCURRENCY), Boolean.TRUE.equals(reuse), run.parametersJson(), run.optionsJson());
        });
    }

    /** @return the concurrency gate of a DAG run */
    RunGate runGate(long runId) {
        return runSettings(runId).gate();
    }

    /** Tells every pool that jobs became due on {@code queue} at {@code runAt}. */
    void jobsAdded(String queue, Instant runAt) {
        for (WorkerPool pool : pools) {
            pool.jobsAdded(queue, runAt);
        }
    }

    /** Tells every pool that the paused queues changed. */
    void pausedChanged() {
        for (WorkerPool pool : pools) {
            pool.pausedChanged();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    void checkOpen() {
        if (closed) {
            throw new QueueClosedException("The queue (" + storage.description() + ")", storage.isDurable());
        }
    }
}
