package io.queuack.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.job.Backoff;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuackMetricsTest {

    @TempDir
    Path folder;

    private Queuack queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private Queuack open() {
        queue = Queuack.open(folder.resolve("metrics.duckdb"));
        return queue;
    }

    @Test
    void countsTimesAndOutcomesOfTheJobsThisProcessRuns() throws Exception {
        Queuack queue = open();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuackMetrics metrics = QueuackMetrics.of(queue).clientPercentiles(true);
        metrics.bindTo(registry);
        queue.register("ok", Integer.class, (context, n) -> n * 2);
        queue.register("broken", Integer.class, (context, n) -> {
            throw new IllegalStateException("broken " + n);
        });
        Events events = Events.counting(queue, 20 + 5 * 2);
        for (int i = 0; i < 20; i++) {
            queue.enqueue("ok", i, JobOptions.defaults().queue("fast"));
        }
        for (int i = 0; i < 5; i++) {
            queue.enqueue("broken", i, JobOptions.defaults().maxAttempts(2).backoff(Backoff.NONE));
        }
        try (WorkerPool pool = queue.workers().concurrency(4).queue("fast").queue("default").start()) {
            events.await();
        }
        assertEquals(20, count(registry, "queuack.jobs.enqueued", "queue", "fast"));
        assertEquals(5, count(registry, "queuack.jobs.enqueued", "queue", "default"));
        assertEquals(20, count(registry, "queuack.jobs.started", "queue", "fast"));
        assertEquals(10, count(registry, "queuack.jobs.started", "queue", "default"), "two attempts each");
        assertEquals(20, count(registry, "queuack.jobs.finished", "queue", "fast", "task", "ok", "status", "succeeded"));
        assertEquals(5, count(registry, "queuack.jobs.finished", "task", "broken", "status", "failed"), "retries");
        assertEquals(5, count(registry, "queuack.jobs.finished", "task", "broken", "status", "dead"), "dead letters");
        Timer waits = registry.get("queuack.job.wait").tag("queue", "fast").timer();
        assertEquals(20, waits.count());
        assertTrue(waits.max(TimeUnit.SECONDS) < 60, "waits are measured from the enqueue, not from the epoch");
        assertEquals(10, registry.get("queuack.job.run").tag("task", "broken").timer().count());
        assertTrue(registry.get("queuack.job.run").tag("task", "ok").timer().takeSnapshot().percentileValues().length
                == 3, "p50, p95 and p99 are computed when asked");
        assertTrue(registry.get("queuack.storage.round.trip").tag("kind", "cycle").timer().count() > 0);
        assertEquals(25, registry.get("queuack.storage.round.trip").tag("kind", "enqueue").timer().count(),
                "one round trip per enqueue call");

        metrics.refresh();
        assertEquals(20, gauge(registry, "fast", JobStatus.SUCCEEDED));
        assertEquals(5, gauge(registry, "default", JobStatus.DEAD));
        assertEquals(0, gauge(registry, "default", JobStatus.PENDING));
        queue.purge(Duration.ZERO, JobStatus.DEAD);
        metrics.refresh();
        assertEquals(0, gauge(registry, "default", JobStatus.DEAD), "purged jobs leave the counts");
    }

    @Test
    void dagRunsAreCountedByStatus() {
        Queuack queue = open();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuackMetrics.of(queue).bindTo(registry);
        Dag good = Dag.builder("good").task("a", () -> 1).task("b", () -> 2).after("a").build();
        Dag bad = Dag.builder("bad").defaults(JobOptions.defaults().maxAttempts(1))
                .task("a", () -> {
                    throw new IllegalStateException("no");
                }).build();
        Events events = Events.runsFinishing(queue, 3);
        queue.run(good);
        queue.run(good);
        queue.run(bad);
        events.await();
        assertEquals(2, count(registry, "queuack.runs.started", "dag", "good"));
        assertEquals(2, count(registry, "queuack.runs.finished", "dag", "good", "status", "succeeded"));
        assertEquals(1, count(registry, "queuack.runs.finished", "dag", "bad", "status", "failed"));
    }

    @Test
    void poolUtilizationCountsTheThreadsRunningJobs() throws Exception {
        Queuack queue = open();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuackMetrics.of(queue).storeCounts(false).bindTo(registry);
        CountDownLatch running = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        queue.register("hold", (context) -> {
            running.countDown();
            release.await();
            return null;
        });
        try (WorkerPool pool = queue.workers().concurrency(6).start()) {
            assertEquals(6, registry.get("queuack.workers.size").gauge().value());
            for (int i = 0; i < 3; i++) {
                queue.enqueue("hold");
            }
            assertTrue(running.await(30, TimeUnit.SECONDS));
            assertEquals(3, registry.get("queuack.workers.busy").gauge().value());
            assertEquals(0.5, registry.get("queuack.workers.utilization").gauge().value());
            release.countDown();
            assertTrue(pool.awaitIdle(Duration.ofSeconds(30)));
        }
        assertEquals(0, registry.get("queuack.workers.size").gauge().value(), "a closed pool counts no more");
        assertEquals(0, registry.get("queuack.workers.utilization").gauge().value());
        assertTrue(registry.find("queuack.jobs").gauges().isEmpty(), "store counts were turned off");
    }

    @Test
    void manyTaskNamesAreCappedUnderOther() {
        Queuack queue = open();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuackMetrics.of(queue).maxNames(2).bindTo(registry);
        for (String task : new String[] {"a", "b", "c", "d"}) {
            queue.register(task, context -> task);
        }
        Events events = Events.counting(queue, 4);
        for (String task : new String[] {"a", "b", "c", "d"}) {
            queue.enqueue(task);
        }
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            events.await();
        }
        assertEquals(4, registry.find("queuack.jobs.finished").counters().stream()
                .mapToDouble(c -> c.count()).sum());
        assertEquals(2, count(registry, "queuack.jobs.finished", "task", "other"), "names past the budget");
    }

    @Test
    void closeRemovesEveryMeterAndStopsCounting() {
        Queuack queue = open();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueuackMetrics metrics = QueuackMetrics.of(queue);
        metrics.bindTo(registry);
        queue.register("t", context -> 1);
        Events events = Events.counting(queue, 1);
        queue.enqueue("t");
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            events.await();
        }
        metrics.refresh();
        assertTrue(registry.getMeters().size() > 10);
        metrics.close();
        assertEquals(0, registry.getMeters().size(), "every meter is removed");
        metrics.close();
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
    }

    @Test
    void optionsAreChecked() {
        Queuack queue = open();
        QueuackMetrics metrics = QueuackMetrics.of(queue);
        assertEquals("The refresh interval must be between 1 s and 1 h, was PT0.5S",
                assertThrows(IllegalArgumentException.class, () -> metrics.refreshEvery(Duration.ofMillis(500)))
                        .getMessage());
        assertEquals("maxNames must be between 1 and 10000, was 0",
                assertThrows(IllegalArgumentException.class, () -> metrics.maxNames(0)).getMessage());
        metrics.bindTo(new SimpleMeterRegistry());
        assertThrows(IllegalStateException.class, () -> metrics.maxNames(5), "options come before binding");
        metrics.close();
        queue.close();
        assertThrows(IllegalArgumentException.class, () -> QueuackMetrics.of(queue));
    }

    @Test
    void prometheusScrapeShowsHistogramsAndCounts() {
        Queuack queue = open();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        QueuackMetrics metrics = QueuackMetrics.of(queue);
        metrics.bindTo(registry);
        queue.register("t", context -> 1);
        Events events = Events.counting(queue, 3);
        queue.enqueueAll("t", java.util.List.of(1, 2, 3));
        try (WorkerPool pool = queue.workers().concurrency(2).start()) {
            events.await();
        }
        metrics.refresh();
        String text = registry.scrape();
        assertTrue(text.contains("queuack_jobs{queue=\"default\",status=\"succeeded\"} 3.0"), text);
        assertTrue(text.contains("queuack_jobs_finished_total{queue=\"default\",status=\"succeeded\",task=\"t\"} 3.0"),
                text);
        // Prometheus computes percentiles from the buckets (histogram_quantile); other registries get p50/p95/p99
        assertTrue(text.contains("# TYPE queuack_job_wait_seconds histogram"), text);
        assertTrue(text.contains("queuack_job_wait_seconds_bucket{queue=\"default\",le=\"+Inf\"} 3"), text);
        assertTrue(text.contains("queuack_job_run_seconds_count{queue=\"default\",task=\"t\"} 3"), text);
        assertTrue(text.contains("queuack_storage_round_trip_seconds_count{kind=\"cycle\"}"), text);
    }

    static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static double gauge(MeterRegistry registry, String queue, JobStatus status) {
        return registry.get("queuack.jobs").tag("queue", queue).tag("status", status.dbName()).gauge().value();
    }
}
