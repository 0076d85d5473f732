package io.queuack.benchmarks;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.job.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

/** Queuack on a fresh store: a DuckDB file in a temporary folder, or memory. */
final class QueuackWorkload implements Workload {

    private final Queuack queue;
    private final Path folder;

    QueuackWorkload(String store) throws Exception {
        this.folder = Files.createTempDirectory("queuack-bench");
        this.queue = "memory".equals(store) ? Queuack.inMemory() : Queuack.open(folder.resolve("bench.duckdb"));
        queue.register("noop", ctx -> null);
    }

    @Override
    public void enqueueSingle(int count) {
        for (int i = 0; i < count; i++) {
            queue.enqueue("noop");
        }
    }

    @Override
    public void enqueueBatch(int count) {
        queue.enqueueAll("noop", Collections.nCopies(count, null));
    }

    @Override
    public long runUntilDone(int workers, long jobs, double maxSeconds) {
        try (WorkerPool pool = queue.workers().concurrency(workers).start()) {
            pool.awaitIdle(Duration.ofMillis((long) (maxSeconds * 1000)));
            return queue.stats(queue.defaultQueue()).count(JobStatus.SUCCEEDED);
        }
    }

    @Override
    public void close() throws Exception {
        queue.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
