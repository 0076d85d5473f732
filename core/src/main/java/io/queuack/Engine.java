package io.queuack;

import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.dag.RunOptions;
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
    private final Set<Long> cancelOnArrival = ConcurrentHashMap.newKeySet();
    private final Map<Long, RunGate> gates = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RunStatus>> runWatchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Engine(Storage storage, Clock clock, JsonCodec codec, Backpressure backpressure, String defaultQueue) {
        this.storage = storage;
        this.clock = clock;
        this.codec = codec;
        this.gate = new BackpressureGate(backpressure, storage);
        this.defaultQueue = defaultQueue;
    }

    /** @return the current time, truncated to microseconds (the precision storage keeps) */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
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
     * Stops a cancelled job that a pool of this session claimed ({@code owner}): at once if the pool has
     * registered it, else as soon as it does (the claim is stored before the pool registers the job).
     */
    void cancelHeld(long jobId, String owner) {
        if (owner == null || pools.stream().noneMatch(pool -> pool.id().equals(owner))) {
            return;
        }
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
                gates.remove(change.runId());
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

    /** @return the concurrency gate of a DAG run, made from its stored options on first use */
    RunGate runGate(long runId) {
        return gates.computeIfAbsent(runId, id -> new RunGate(concurrencyOf(id)));
    }

    private int concurrencyOf(long runId) {
        String options = storage.findRun(runId).map(RunRecord::optionsJson).orElse(null);
        Map<?, ?> read = codec.read(options, codec.type(Map.class), "the options of run " + runId);
        Object concurrency = read == null ? null : read.get("concurrency");
        return concurrency instanceof Number number ? number.intValue() : RunOptions.DEFAULT_CONCURRENCY;
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
            throw new QueueClosedException("The queue (" + storage.description() + ")");
        }
    }
}
