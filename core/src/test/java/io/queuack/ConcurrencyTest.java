package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.JobStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight workers (four pools of two, each pool its own claimer) over 100,000 jobs on one queue file,
 * with producers still enqueueing while they run: every job runs exactly once, counted by the tasks
 * themselves, not by the queue.
 */
class ConcurrencyTest {

    private static final int JOBS = 100_000;
    private static final int PRODUCERS = 4;

    @TempDir
    Path dir;

    @Test
    void everyJobRunsExactlyOnce() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(JOBS);
        try (Queuack queue = Queuack.open(dir.resolve("busy.duckdb"))) {
            queue.register("count", Integer.class, (ctx, n) -> runs.incrementAndGet(n));
            List<WorkerPool> pools = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pools.add(queue.workers().concurrency(2).start());
            }
            List<Thread> producers = new ArrayList<>();
            int share = JOBS / PRODUCERS;
            for (int p = 0; p < PRODUCERS; p++) {
                int first = p * share;
                Thread producer = new Thread(() -> {
                    for (int start = first; start < first + share; start += 5_000) {
                        queue.enqueueAll("count", IntStream.range(start, start + 5_000).boxed().collect(Collectors.toList()));
                    }
                });
                producers.add(producer);
                producer.start();
            }
            for (Thread producer : producers) {
                producer.join();
            }
            for (WorkerPool pool : pools) {
                assertTrue(pool.awaitIdle(Waits.LONG.multipliedBy(4)));
            }
            pools.forEach(WorkerPool::close);
            assertEquals(JOBS, queue.stats("default").count(JobStatus.SUCCEEDED));
        }
        for (int n = 0; n < JOBS; n++) {
            assertEquals(1, runs.get(n), "job " + n + " ran " + runs.get(n) + " times");
        }
    }
}
