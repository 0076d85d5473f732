package io.queuack.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.queuack.Queuack;
import io.queuack.error.QueueClosedException;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The job counts per queue and status, read from the store at each {@link #refresh()} (gauges report the
 * last counts read; a queue seen once keeps its gauges, at zero when its jobs are gone).
 */
final class StoreGauges {

    private static final System.Logger LOG = System.getLogger(StoreGauges.class.getName());
    private static final JobStatus[] STATUSES = JobStatus.values();

    private final Queuack queue;
    private final MeterRegistry registry;
    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    StoreGauges(Queuack queue, MeterRegistry registry) {
        this.queue = queue;
        this.registry = registry;
    }

    /** Reads the counts; a store that cannot answer is logged once (until it answers again). */
    void refresh() {
        if (queue.isClosed()) {
            return;
        }
        List<QueueStats> stats;
        try {
            stats = queue.stats();
        } catch (QueueClosedException e) {
            return;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, "Queue metrics could not read the job counts from "
                        + queue.description() + "; the gauges keep their last values until it answers", e);
            }
            failing = true;
            return;
        }
        failing = false;
        counts.keySet().forEach(name -> {
            if (stats.stream().noneMatch(s -> s.queue().equals(name))) {
                AtomicLongArray gone = counts.get(name);
                for (int i = 0; i < STATUSES.length; i++) {
                    gone.set(i, 0);
                }
            }
        });
        for (QueueStats stat : stats) {
            AtomicLongArray row = counts.computeIfAbsent(stat.queue(), this::register);
            for (int i = 0; i < STATUSES.length; i++) {
                row.set(i, stat.count(STATUSES[i]));
            }
        }
    }

    private AtomicLongArray register(String queueName) {
        AtomicLongArray row = new AtomicLongArray(STATUSES.length);
        for (int i = 0; i < STATUSES.length; i++) {
            int index = i;
            meters.add(Gauge.builder("queuack.jobs", row, values -> values.get(index))
                    .description("Jobs stored per queue and status, as last read from the store (shared by every"
                            + " process of a PostgreSQL store)")
                    .tags("queue", queueName, "status", STATUSES[i].dbName())
                    .strongReference(true)
                    .register(registry));
        }
        return row;
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
