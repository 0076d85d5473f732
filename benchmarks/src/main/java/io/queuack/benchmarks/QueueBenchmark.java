package io.queuack.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Queue throughput: enqueue one job per call (from one thread and from eight at once), enqueue one large
 * batch, and end-to-end no-op jobs/s
 * with 1, 2, 8 and 16 workers (16 is JobRunr's default on a 2-core machine), for a DuckDB file and for
 * memory, with JobRunr (in-memory storage) on the same workloads in the same run. End-to-end runs stop after a time cap and report jobs done per
 * second, so a slow peer does not stall the run.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Queue throughput, side by side with JobRunr.")
final class QueueBenchmark implements Callable<Integer> {

    private static final String PEER = "JobRunr 8.7.0 in-memory";
    /** Threads that enqueue one job per call at once (the store's write funnel groups their commits). */
    private static final int CALLER_THREADS = 8;

    @Option(names = "--stores", split = ",", description = "stores to measure (default: ${DEFAULT-VALUE})")
    List<String> stores = List.of("duckdb-file", "memory");

    @Option(names = "--workers", split = ",", description = "worker counts for end-to-end runs (default: ${DEFAULT-VALUE})")
    List<Integer> workers = List.of(1, 2, 8, 16);

    @Option(names = "--scale", description = "multiplies every job count, e.g. 0.1 for a quick run (default: ${DEFAULT-VALUE})")
    double scale = 1.0;

    @Option(names = "--max-seconds", description = "cap per end-to-end run (default: ${DEFAULT-VALUE})")
    double maxSeconds = 20;

    @Option(names = "--no-peer", description = "skip JobRunr")
    boolean noPeer;

    @Option(names = "--repeat", description = "runs per figure; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    private int jobs(int base) {
        return Math.max(1, (int) (base * scale));
    }

    @Override
    public Integer call() throws Exception {
        warmUp();
        Report report = new Report("queue");
        Double peerSingle = null;
        Double peerBatch = null;
        Double peerThreads = null;
        List<Double> peerEndToEnd = new ArrayList<>();
        if (!noPeer) {
            peerSingle = median(() -> enqueueRate(new JobRunrWorkload(1), true, jobs(20_000)));
            peerBatch = median(() -> enqueueRate(new JobRunrWorkload(1), false, jobs(200_000)));
            peerThreads = median(() -> enqueueRate(new JobRunrWorkload(1), CALLER_THREADS, jobs(20_000)));
            for (int count : workers) {
                peerEndToEnd.add(median(() -> endToEnd(new JobRunrWorkload(count), count, jobs(20_000))));
            }
        }
        for (String store : stores) {
            boolean file = store.startsWith("duckdb");
            int single = jobs(file ? 2_000 : 100_000);
            int batch = jobs(1_000_000);
            int endToEnd = jobs(file ? 200_000 : 1_000_000);
            report.add(withPeer(Figure.of(store + " enqueue single", median(() ->
                    enqueueRate(new QueuackWorkload(store), true, single)), "jobs/s"), peerSingle));
            report.add(withPeer(Figure.of(store + " enqueue single, " + CALLER_THREADS + " threads", median(() ->
                    enqueueRate(new QueuackWorkload(store), CALLER_THREADS, single * 4)), "jobs/s"), peerThreads));
            report.add(withPeer(Figure.of(store + " enqueue batch of " + batch, median(() ->
                    enqueueRate(new QueuackWorkload(store), false, batch)), "jobs/s"), peerBatch));
            for (int i = 0; i < workers.size(); i++) {
                int count = workers.get(i);
                report.add(withPeer(Figure.of(store + " end-to-end " + count + " worker" + (count == 1 ? "" : "s"),
                        median(() -> endToEnd(new QueuackWorkload(store), count, endToEnd)), "jobs/s"),
                        peerEndToEnd.isEmpty() ? null : peerEndToEnd.get(i)));
            }
        }
        report.write(results);
        return 0;
    }

    private static Figure withPeer(Figure figure, Double peerValue) {
        return peerValue == null ? figure : figure.withPeer(PEER, peerValue);
    }

    /** @return jobs/s of single enqueue calls made by {@code threads} threads at once */
    private static double enqueueRate(Workload workload, int threads, int count) throws Exception {
        try (workload) {
            long start = System.nanoTime();
            workload.enqueueSingle(count, threads);
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double enqueueRate(Workload workload, boolean single, int count) throws Exception {
        try (workload) {
            long start = System.nanoTime();
            if (single) {
                workload.enqueueSingle(count);
            } else {
                workload.enqueueBatch(count);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private double endToEnd(Workload workload, int workerCount, int count) throws Exception {
        try (workload) {
            workload.enqueueBatch(count);
            long start = System.nanoTime();
            long done = workload.runUntilDone(workerCount, count, maxSeconds);
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** A measurement that can be repeated. */
    @FunctionalInterface
    private interface Measurement {
        double run() throws Exception;
    }

    private double median(Measurement measurement) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            values.add(measurement.run());
        }
        Collections.sort(values);
        return values.get(values.size() / 2);
    }

    /** Lets the JIT compile the hot paths of both queues before anything is measured. */
    private void warmUp() throws Exception {
        for (int i = 0; i < 2; i++) {
            endToEnd(new QueuackWorkload("memory"), 2, 100_000);
            enqueueRate(new QueuackWorkload("duckdb-file"), false, 100_000);
        }
        if (!noPeer) {
            enqueueRate(new JobRunrWorkload(1), true, 5_000);
        }
    }
}
