package io.queuack.metrics;

import static io.queuack.metrics.QueuackMetricsTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.Subscription;
import io.queuack.storage.postgres.FreshSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two processes share a PostgreSQL store (two queues opened in this JVM stand for them). */
class QueuackMetricsOnPostgresTest {

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @Test
    void eachProcessCountsItsOwnWorkOnly() throws Exception {
        try (Queuack watcher = Queuack.open(schema.url()); Queuack worker = Queuack.open(schema.url())) {
            SimpleMeterRegistry watcherRegistry = new SimpleMeterRegistry();
            SimpleMeterRegistry workerRegistry = new SimpleMeterRegistry();
            QueuackMetrics watcherMetrics = QueuackMetrics.of(watcher);
            watcherMetrics.bindTo(watcherRegistry);
            QueuackMetrics.of(worker).bindTo(workerRegistry);
            worker.register("t", Integer.class, (context, n) -> n);
            int jobs = 0;
            try (WorkerPool pool = worker.workers().concurrency(2).start()) {
                // the worker hears that the watcher wants events at its next check (about a second): run jobs until
                // the watcher hears one
                CountDownLatch heard = new CountDownLatch(1);
                try (Subscription notebook = watcher.listen(finished(heard))) {
                    while (heard.getCount() > 0 && jobs < 120) {
                        worker.enqueue("t", jobs++);
                        heard.await(500, TimeUnit.MILLISECONDS);
                    }
                    assertEquals(0, heard.getCount(), "the watcher hears the other process");
                }
                assertTrue(pool.awaitIdle(Duration.ofSeconds(60)));
            }
            metricsSeeAll(worker);
            assertEquals(jobs, count(workerRegistry, "queuack.jobs.finished", "status", "succeeded"));
            assertEquals(0, count(watcherRegistry, "queuack.jobs.finished"),
                    "the watcher's metrics do not count what another process did");
            watcherMetrics.refresh();
            assertEquals(jobs, watcherRegistry.get("queuack.jobs").tag("status", "succeeded").gauge().value(),
                    "the stored counts are the whole store's");
        }
    }

    /** Waits until {@code queue}'s events of the finished jobs were delivered (its event thread is in order). */
    private static void metricsSeeAll(Queuack queue) throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        try (Subscription marker = queue.listen(new JobListener() {
            @Override
            public void onEnqueued(io.queuack.event.EnqueuedEvent event) {
                drained.countDown();
            }
        })) {
            queue.enqueue("nobody-runs-this");
            assertTrue(drained.await(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLeaseThatRunsOutIsCountedAsARecovery() throws Exception {
        // The stuck process's clock stands still an hour ago: its pool never renews the lease, which ran out long
        // before the other process's real time.
        Clock stopped = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        try (Queuack stuck = Queuack.builder().url(schema.url()).clock(stopped).open();
             Queuack healthy = Queuack.open(schema.url())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            QueuackMetrics.of(healthy).bindTo(registry);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            stuck.register("hang", context -> {
                started.countDown();
                release.await();
                return null;
            });
            CountDownLatch recovered = new CountDownLatch(1);
            try (Subscription after = healthy.listen(new JobListener() {
                @Override
                public void onStatusChanged(JobEvent event) {
                    if (event.error() != null && event.error().type().equals("io.queuack.LeaseExpired")) {
                        recovered.countDown();
                    }
                }
            })) {
                stuck.enqueue("hang");
                try (WorkerPool stuckPool = stuck.workers().concurrency(1).shutdownGrace(Duration.ZERO).start();
                     WorkerPool healthyPool = healthy.workers().concurrency(1).start()) {
                    assertTrue(started.await(60, TimeUnit.SECONDS));
                    assertTrue(recovered.await(60, TimeUnit.SECONDS), "the healthy process recovers the job");
                    release.countDown();
                }
            }
            assertEquals(1, count(registry, "queuack.jobs.recovered", "queue", "default"));
        }
    }

    private static JobListener finished(CountDownLatch latch) {
        return new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                if (event.to().isTerminal()) {
                    latch.countDown();
                }
            }
        };
    }
}
