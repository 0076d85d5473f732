package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void runsJobs() {
        for (int round = 0; round < 2; round++) {
            try (Queuack q = round == 0 ? Queuack.inMemory() : Queuack.open(dir.resolve("q.duckdb"))) {
                AtomicInteger runs = new AtomicInteger();
                q.register("noop", ctx -> runs.incrementAndGet());
                int n = 200_000;
                long t0 = System.nanoTime();
                q.enqueueAll("noop", Collections.nCopies(n, null));
                long t1 = System.nanoTime();
                try (WorkerPool pool = q.workers().concurrency(4).start()) {
                    pool.awaitIdle(Duration.ofMinutes(2));
                }
                long t2 = System.nanoTime();
                System.out.printf("%s enqueue %.0f/s run %.0f/s%n", q.description(), n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
                assertEquals(n, runs.get());
                System.out.println(q.stats());
            }
        }
    }
}
