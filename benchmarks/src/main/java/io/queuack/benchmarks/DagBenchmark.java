package io.queuack.benchmarks;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.dag.DagBuilder;
import io.queuack.dag.RunOptions;
import io.queuack.job.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DAG figures: validating and submitting a 10,000-task DAG, running a 10,000-task no-op DAG end to end
 * on a DuckDB file, and 50 async tasks that each wait 100 ms with concurrency 50.
 */
@Command(name = "dag", mixinStandardHelpOptions = true, description = "DAG build, submit and run figures.")
final class DagBenchmark implements Callable<Integer> {

    @Option(names = "--tasks", description = "tasks in the large DAG (default: ${DEFAULT-VALUE})")
    int tasks = 10_000;

    @Option(names = "--layer", description = "tasks per layer of the large DAG (default: ${DEFAULT-VALUE})")
    int layer = 500;

    @Option(names = "--workers", description = "worker threads for the end-to-end run (default: ${DEFAULT-VALUE})")
    int workers = 2;

    @Option(names = "--repeat",
            description = "repetitions of each measurement; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    /** Layers of {@code layer} tasks; each task after the first layer waits for two tasks of the layer above. */
    static Dag layered(String name, int tasks, int layer) {
        DagBuilder builder = Dag.builder(name);
        for (int i = 0; i < tasks; i++) {
            DagBuilder.TaskStep step = builder.task("t" + i, () -> null);
            if (i >= layer) {
                int above = i - layer;
                step.after("t" + above, "t" + (above - above % layer + (above + 1) % layer));
            }
        }
        return builder.build();
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("dag");
        warmUp();
        String shape = tasks + " tasks in layers of " + layer;
        double[] validate = new double[repeat];
        double[] submit = new double[repeat];
        double[] both = new double[repeat];
        Dag dag = null;
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            dag = layered("big", tasks, layer);
            validate[i] = seconds(start) * 1000;
            Path folder = Files.createTempDirectory("queuack-dag-submit");
            try (Queuack queue = Queuack.open(folder.resolve("dag.duckdb"))) {
                start = System.nanoTime();
                DagRun submitted = queue.submit(dag);
                submit[i] = seconds(start) * 1000;
                submitted.cancel();
            }
            both[i] = validate[i] + submit[i];
        }
        report.add(Figure.of("build and validate " + shape, Figure.median(validate), "ms"));
        report.add(Figure.of("submit " + shape + " (new DuckDB file)", Figure.median(submit), "ms"));
        report.add(Figure.of("validate + submit " + shape, Figure.median(both), "ms"));
        report.add(Figure.of("run " + shape + " end to end (DuckDB file, " + workers + " workers)",
                endToEnd(dag), "tasks/s"));
        report.add(Figure.of("run " + tasks + " tasks in 2 layers end to end (DuckDB file, " + workers + " workers)",
                endToEnd(layered("wide", tasks, tasks / 2)), "tasks/s"));
        report.add(Figure.of("50 async tasks waiting 100 ms each, concurrency 50 (in memory)",
                asyncMillis(Queuack.inMemory()), "ms"));
        Path folder = Files.createTempDirectory("queuack-dag-async");
        report.add(Figure.of("50 async tasks waiting 100 ms each, concurrency 50 (DuckDB file)",
                asyncMillis(Queuack.open(folder.resolve("async.duckdb"))), "ms"));
        report.write(results);
        return 0;
    }

    /**
     * @return the median tasks/s of {@code repeat} runs in one open DuckDB queue file, after one unmeasured run
     *         (as in a notebook session, where the queue stays open between runs)
     */
    private double endToEnd(Dag dag) throws Exception {
        double[] rates = new double[repeat];
        Path folder = Files.createTempDirectory("queuack-dag-run");
        try (Queuack queue = Queuack.open(folder.resolve("run.duckdb"))) {
            check(queue.run(dag, RunOptions.defaults().workers(workers)));
            for (int i = 0; i < repeat; i++) {
                long start = System.nanoTime();
                DagRun run = queue.run(dag, RunOptions.defaults().workers(workers));
                rates[i] = dag.tasks().size() / seconds(start);
                check(run);
            }
        }
        return Figure.median(rates);
    }

    /** @return the median milliseconds of {@code repeat} runs of 50 async tasks that each wait 100 ms */
    private double asyncMillis(Queuack queue) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (queue) {
            DagBuilder builder = Dag.builder("async");
            for (int i = 0; i < 50; i++) {
                builder.task("wait" + i, context -> {
                    CompletableFuture<Integer> later = new CompletableFuture<>();
                    timer.schedule(() -> later.complete(1), 100, TimeUnit.MILLISECONDS);
                    return later;
                });
            }
            Dag dag = builder.build();
            RunOptions options = RunOptions.defaults().concurrency(50).workers(2);
            queue.run(dag, options);
            double[] millis = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long start = System.nanoTime();
                check(queue.run(dag, options));
                millis[i] = seconds(start) * 1000;
            }
            return Figure.median(millis);
        } finally {
            timer.shutdownNow();
        }
    }

    private static void check(DagRun run) {
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark run " + run + " did not succeed: " + run.errors());
        }
    }

    /** Lets the JIT compile the paths involved before anything is measured. */
    private void warmUp() throws Exception {
        Dag small = layered("warm", tasks, layer);
        try (Queuack queue = Queuack.inMemory()) {
            check(queue.run(small, RunOptions.defaults().workers(workers)));
        }
        Path folder = Files.createTempDirectory("queuack-dag-warm");
        try (Queuack queue = Queuack.open(folder.resolve("warm.duckdb"))) {
            check(queue.run(small, RunOptions.defaults().workers(workers)));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
