package io.queuack.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queuack.job.JobOptions;
import io.queuack.metrics.QueuackMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What metrics cost: the queue benchmark's end-to-end no-op jobs with a queue's metrics bound to a Prometheus
 * registry, beside the same run without them in the same process, runs interleaved in alternating order (goal:
 * under 3% fewer jobs/s).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = "The cost of metrics on the queue benchmark.")
final class MetricsBenchmark implements Callable<Integer> {

    @Option(names = "--stores", split = ",", description = "stores to measure (default: ${DEFAULT-VALUE})")
    List<String> stores = List.of("duckdb-file", "memory");

    @Option(names = "--workers", description = "worker threads (default: ${DEFAULT-VALUE})")
    int workers = 8;

    @Option(names = "--jobs", description = "no-op jobs per run on a DuckDB file, 5x in memory (default: ${DEFAULT-VALUE})")
    int jobs = 100_000;

    @Option(names = "--repeat", description = "runs of each kind; medians are reported (default: ${DEFAULT-VALUE})")
    int repeat = 5;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    @Override
    public Integer call() throws Exception {
        Report report = new Report("metrics");
        for (String store : stores) {
            int count = store.equals("memory") ? jobs * 5 : jobs;
            NoOpRun.jobsPerSecond(store, workers, queue -> { }, JobOptions.defaults(), 0, count / 4);
            double[] base = new double[repeat];
            double[] measured = new double[repeat];
            double[] kept = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                // which kind runs first alternates, so that neither always follows the other's garbage
                double without;
                double with;
                if (i % 2 == 0) {
                    without = off(store, count);
                    with = on(store, count);
                } else {
                    with = on(store, count);
                    without = off(store, count);
                }
                base[i] = without;
                measured[i] = with;
                kept[i] = with / without;
            }
            report.add(Figure.of(store + " end-to-end " + workers + " workers, metrics on", Figure.median(measured),
                    "jobs/s").withPeer("metrics off, same run", Figure.median(base)));
            report.add(Figure.of(store + " metrics on: kept", Figure.median(kept) * 100, "% of metrics off"));
        }
        report.write(results);
        return 0;
    }

    private double off(String store, int count) throws Exception {
        return NoOpRun.jobsPerSecond(store, workers, queue -> { }, JobOptions.defaults(), 0, count);
    }

    private double on(String store, int count) throws Exception {
        return NoOpRun.jobsPerSecond(store, workers, queue -> QueuackMetrics.of(queue)
                .bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), JobOptions.defaults(), 0, count);
    }
}
