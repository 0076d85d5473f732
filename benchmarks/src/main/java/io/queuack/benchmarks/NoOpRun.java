package io.queuack.benchmarks;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.function.Consumer;

/** End-to-end no-op jobs on a fresh store, the workload the benchmarks of limits and metrics compare against. */
final class NoOpRun {

    private NoOpRun() {
    }

    /** @return a queue in {@code folder} ({@code duckdb-file}) or in memory ({@code memory}) */
    static Queuack open(String store, Path folder) {
        return "memory".equals(store) ? Queuack.inMemory() : Queuack.open(folder.resolve("bench.duckdb"));
    }

    /**
     * @param options the jobs' options, or null: each job gets one of the keys {@code k-0 ... k-<keys-1>}
     * @return no-op jobs/s end to end with {@code workers} threads, the store set up by {@code setUp} first
     */
    static double jobsPerSecond(String store, int workers, Consumer<Queuack> setUp, JobOptions options, int keys,
                                int jobs)
            throws Exception {
        Path folder = Files.createTempDirectory("queuack-bench");
        try (Queuack queue = open(store, folder)) {
            queue.register("noop", ctx -> null);
            setUp.accept(queue);
            if (options != null) {
                queue.enqueueAll("noop", Collections.nCopies(jobs, null), options);
            } else {
                for (int key = 0; key < keys; key++) {
                    queue.enqueueAll("noop", Collections.nCopies(jobs / keys, null),
                            JobOptions.defaults().limitKey("k-" + key));
                }
            }
            long start = System.nanoTime();
            try (WorkerPool pool = queue.workers().concurrency(workers).start()) {
                pool.awaitIdle(Duration.ofMinutes(30));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long done = queue.stats(queue.defaultQueue()).count(JobStatus.SUCCEEDED);
            if (done != jobs) {
                throw new IllegalStateException("the pool went idle with " + (jobs - done) + " of " + jobs + " jobs left");
            }
            return done / seconds;
        } finally {
            delete(folder);
        }
    }

    static void delete(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
