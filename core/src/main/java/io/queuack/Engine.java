package io.queuack;

import io.queuack.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    /**
     * Jobs this session's pools have claimed and not yet acknowledged (buffered or running), by job id,
     * so that cancelling one reaches it in time.
     */
    Map<Long, Execution> executions() {
        return executions;
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
