package io.queuack;

import io.queuack.error.QueueClosedException;
import io.queuack.event.JobEvent;
import io.queuack.event.RunEvent;
import io.queuack.job.JobStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of one open queue share: storage, clock, JSON codec, task registry, events,
 * back-pressure and the session id, and the owners of session state: the jobs its pools hold
 * ({@link HeldJobs}), the DAG runs it runs or awaits ({@link ActiveRuns}), the tasks running in this JVM
 * ({@link RunningTasks}). Pools register a {@link Wakeup} to hear of due jobs; the engine knows no pool.
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
    private final Set<Wakeup> wakeups = ConcurrentHashMap.newKeySet();
    private final RunningTasks runningTasks = new RunningTasks();
    private final HeldJobs held = new HeldJobs();
    private final ActiveRuns runs;
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
        this.runs = new ActiveRuns(storage, codec);
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

    /** @return the jobs this session's pools claimed and have not finished */
    HeldJobs held() {
        return held;
    }

    /** @return the DAG runs this session runs tasks of or awaits */
    ActiveRuns runs() {
        return runs;
    }

    /** Wakes {@code wakeup} whenever jobs become due or pauses change, until {@link #removeWakeup}. */
    void addWakeup(Wakeup wakeup) {
        wakeups.add(wakeup);
    }

    void removeWakeup(Wakeup wakeup) {
        wakeups.remove(wakeup);
    }

    /**
     * Sends the events of changes this process made in storage, and wakes the pools for jobs that became due (DAG
     * tasks unblocked, retries).
     */
    void announce(Changes changes, Instant at) {
        announce(changes, at, false);
    }

    /** As {@link #announce(Changes, Instant)}, for changes another process made in a shared store. */
    void announceFromElsewhere(Changes changes, Instant at) {
        announce(changes, at, true);
    }

    private void announce(Changes changes, Instant at, boolean remote) {
        if (changes.isEmpty()) {
            return;
        }
        if (remote ? events.wantsRemoteEvents() : events.hasListeners()) {
            List<JobEvent> jobEvents = new ArrayList<>(changes.jobs().size());
            for (JobTransition change : changes.jobs()) {
                jobEvents.add(new JobEvent(change.jobId(), change.queue(), change.task(), change.from(), change.to(),
                        change.attempt(), at, change.error(), null));
            }
            events.statusChanged(jobEvents, remote);
            List<RunEvent> runEvents = new ArrayList<>(changes.runs().size());
            for (RunTransition change : changes.runs()) {
                runEvents.add(new RunEvent(change.runId(), change.dag(), change.from(), change.to(), at));
            }
            events.runsChanged(runEvents, remote);
        }
        Set<String> due = new HashSet<>();
        for (JobTransition change : changes.jobs()) {
            if (JobStatus.WAITING.contains(change.to()) && due.add(change.queue())) {
                jobsAdded(change.queue(), at);
            }
        }
        runs.changed(changes.runs());
        for (RunTransition change : changes.runs()) {
            if (change.to().isFinished() && Backfiller.isBackfill(change.dag())) {
                Backfiller.finished(this, change.runId());
            }
        }
    }

    /** Tells every pool that jobs became due on {@code queue} at {@code runAt}. */
    void jobsAdded(String queue, Instant runAt) {
        for (Wakeup wakeup : wakeups) {
            wakeup.jobsAdded(queue, runAt);
        }
    }

    /** Tells every pool that running jobs ended, which may give a full limit room. */
    void placesFreed() {
        for (Wakeup wakeup : wakeups) {
            wakeup.placesFreed();
        }
    }

    /** Tells every pool that the paused queues changed. */
    void pausedChanged() {
        for (Wakeup wakeup : wakeups) {
            wakeup.pausedChanged();
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
