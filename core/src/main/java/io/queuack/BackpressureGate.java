package io.queuack;

import io.queuack.error.BackpressureException;
import io.queuack.error.QueuackException;
import io.queuack.job.Limits;
import io.queuack.storage.Storage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@link Backpressure} to enqueues. Waiting counts come from storage at most every 100 ms
 * and are topped up with this session's own enqueues in between, so a check costs no query most
 * of the time; the limits are therefore approximate by the jobs of those 100 ms.
 */
final class BackpressureGate {

    private static final System.Logger LOG = System.getLogger(BackpressureGate.class.getName());
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long BLOCK_POLL_MILLIS = 50;

    private final Backpressure config;
    private final Storage storage;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private Map<String, Long> counted = Map.of();
    private final Map<String, Long> addedSince = new HashMap<>();
    private long countedAt = System.nanoTime() - 2 * REFRESH_NANOS;

    BackpressureGate(Backpressure config, Storage storage) {
        this.config = config;
        this.storage = storage;
    }

    /** Returns when {@code adding} jobs may be enqueued on {@code queue}; throws when they may not. */
    void admit(String queue, int adding) {
        if (config.isUnbounded()) {
            return;
        }
        long waiting = waiting(queue, false);
        warnIfNeeded(queue, waiting + adding);
        if (waiting + adding <= config.limit()) {
            return;
        }
        if (adding > config.limit()) {
            throw new BackpressureException(queue, waiting, adding, config.limit(),
                    "a batch larger than the limit can never fit; split it into smaller batches");
        }
        if (config.maxWait() == null) {
            throw new BackpressureException(queue, waiting, adding, config.limit(), "enqueues over the limit are rejected");
        }
        long deadline = System.nanoTime() + Limits.waitNanos("maxWait", config.maxWait());
        while (waiting + adding > config.limit()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new BackpressureException(queue, waiting, adding, config.limit(),
                        "waited " + config.maxWait() + " for room");
            }
            try {
                Thread.sleep(Math.min(BLOCK_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueuackException("Interrupted while waiting for room on queue '" + queue + "'; nothing was"
                        + " enqueued", e);
            }
            waiting = waiting(queue, true);
        }
    }

    /** Records jobs this session enqueued, until the next count from storage. */
    synchronized void added(String queue, int count) {
        if (!config.isUnbounded()) {
            addedSince.merge(queue, (long) count, Long::sum);
        }
    }

    private synchronized long waiting(String queue, boolean fresh) {
        long now = System.nanoTime();
        if (fresh || now - countedAt > REFRESH_NANOS) {
            counted = storage.waitingCounts();
            addedSince.clear();
            countedAt = now;
        }
        return counted.getOrDefault(queue, 0L) + addedSince.getOrDefault(queue, 0L);
    }

    private void warnIfNeeded(String queue, long waiting) {
        if (waiting <= config.warnAt()) {
            warned.remove(queue);
        } else if (warned.add(queue)) {
            LOG.log(System.Logger.Level.WARNING, "Queue ''{0}'' has {1} waiting jobs, above the warning threshold of {2};"
                    + " workers are not keeping up with producers.", queue, waiting, config.warnAt());
        }
    }
}
