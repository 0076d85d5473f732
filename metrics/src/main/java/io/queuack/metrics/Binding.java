package io.queuack.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.event.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/** The meters of one queue in one registry, and what feeds them: an event subscription and a refresh thread. */
final class Binding {

    private final MeterRegistry registry;
    private final JobMeters jobMeters;
    private final Subscription subscription;
    private final StoreGauges storeGauges;
    private final ScheduledExecutorService refresher;
    private final List<Meter> poolGauges = new ArrayList<>();

    Binding(Queuack queue, MeterRegistry registry, Duration refresh, int maxNames, boolean storeCounts,
            boolean clientPercentiles) {
        this.registry = registry;
        this.jobMeters = new JobMeters(registry, new TagBudget(maxNames), clientPercentiles);
        this.subscription = queue.listen(jobMeters);
        poolGauges.add(poolGauge(queue, "queuack.workers.busy", "Worker threads of this process's open pools running"
                + " a job now", q -> sum(q, WorkerPool::busyWorkers)));
        poolGauges.add(poolGauge(queue, "queuack.workers.size", "Worker threads of this process's open pools",
                q -> sum(q, WorkerPool::concurrency)));
        poolGauges.add(poolGauge(queue, "queuack.workers.utilization", "Busy worker threads / worker threads of this"
                + " process's open pools, 0 to 1 (0 without pools)", Binding::utilization));
        if (storeCounts) {
            storeGauges = new StoreGauges(queue, registry);
            refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "queuack-metrics");
                thread.setDaemon(true);
                return thread;
            });
            refresher.scheduleWithFixedDelay(storeGauges::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            storeGauges = null;
            refresher = null;
        }
    }

    private Meter poolGauge(Queuack queue, String name, String description, ToDoubleFunction<Queuack> value) {
        return Gauge.builder(name, queue, value).description(description).strongReference(true).register(registry);
    }

    private static double sum(Queuack queue, ToDoubleFunction<WorkerPool> value) {
        return queue.openPools().stream().mapToDouble(value).sum();
    }

    private static double utilization(Queuack queue) {
        double size = sum(queue, WorkerPool::concurrency);
        return size == 0 ? 0 : sum(queue, WorkerPool::busyWorkers) / size;
    }

    /** Reads the job counts now (nothing when they are not read from the store). */
    void refresh() {
        if (storeGauges != null) {
            storeGauges.refresh();
        }
    }

    void close() {
        subscription.close();
        if (refresher != null) {
            refresher.shutdownNow();
            storeGauges.remove();
        }
        jobMeters.remove();
        poolGauges.forEach(registry::remove);
    }
}
