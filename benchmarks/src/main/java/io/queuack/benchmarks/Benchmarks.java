package io.queuack.benchmarks;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point: {@code Benchmarks} runs every benchmark; {@code Benchmarks queue [options]},
 * {@code Benchmarks dag [options]}, {@code Benchmarks schedules [options]} and the others run one (scale-out and
 * schedules, which take longer, metrics and dashboard only when named).
 * Each prints its figures and writes {@code benchmarks/results/<name>.json}.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true, subcommands = {QueueBenchmark.class, DagBenchmark.class, StreamBenchmark.class,
        KernelBenchmark.class, ScaleOutBenchmark.class, ScheduleBenchmark.class, MetricsBenchmark.class, DashboardBenchmark.class},
        description = "Runs Queuack's benchmarks; name one to run it alone.")
public final class Benchmarks implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmarks()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int status = new QueueBenchmark().call();
        status = status != 0 ? status : new DagBenchmark().call();
        status = status != 0 ? status : new StreamBenchmark().call();
        return status != 0 ? status : new KernelBenchmark().call();
    }
}
