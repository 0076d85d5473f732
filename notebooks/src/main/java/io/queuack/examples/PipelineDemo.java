package io.queuack.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.RunTask;
import io.queuack.WorkerPool;
import io.queuack.arrow.Dataset;
import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.draw.Theme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The second half of the demo: runs the {@link DailySales} ETL DAG on the demo's queue file with a
 * progress bar, prints the run as a text tree, and writes its pictures (SVG, Mermaid) and CSV report
 * next to the queue file. Results are reused across runs for the same day: run the demo again and only
 * what changed runs.
 */
final class PipelineDemo {

    private final Queuack queue;
    private final Path folder;

    PipelineDemo(Queuack queue, Path folder) {
        this.queue = queue;
        this.folder = folder;
    }

    void run(String day, int orders, int workers) throws IOException, InterruptedException {
        Dag dag = DailySales.dag();
        System.out.println();
        System.out.println("ETL pipeline '" + dag.name() + "' for day " + day + ":");
        System.out.print(dag.toText());

        Path report = folder.resolve("queuack-demo-sales-" + day + ".csv");
        RunOptions options = RunOptions.defaults().parameter("day", day).parameter("orders", orders)
                .parameter("report", report.toString()).reuseResults(true);
        DagRun run = queue.submit(dag, options);
        int taskCount = dag.tasks().size();
        try (WorkerPool pool = queue.workers().concurrency(workers).start();
             ProgressBar bar = new ProgressBarBuilder().setTaskName("Run #" + run.id()).setInitialMax(taskCount)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).setUnit(" tasks", 1).build()) {
            while (!run.await(Duration.ofMillis(100)).isFinished()) {
                bar.stepTo(Math.round(run.progress() * taskCount));
            }
            bar.stepTo(taskCount);
        }
        System.out.print(run.toText());

        List<RunTask> tasks = run.tasks();
        List<RunTask> elements = run.subRuns().stream().flatMap(sub -> sub.tasks().stream()).toList();
        long reused = tasks.stream().filter(RunTask::reused).count();
        long reusedElements = elements.stream().filter(RunTask::reused).count();
        System.out.printf(Locale.ROOT, "Run #%d %s in %d ms; reused from earlier runs: %d of %d tasks, %d of %d"
                        + " fan-out elements%s%n", run.id(), run.status(), run.duration().toMillis(), reused,
                tasks.size(), reusedElements, elements.size(), reused + reusedElements == 0
                        ? " (run the demo again: the same day reuses them; --day changes the input)" : "");
        List<Dataset> datasets = run.result("orders", new TypeReference<List<Dataset>>() { });
        System.out.printf(Locale.ROOT, "Streamed %,d orders through Arrow into %d datasets (%.1f MB, in %s),"
                        + " read back batch by batch as Tablesaw tables by 'summarise'%n",
                datasets.stream().mapToLong(Dataset::rows).sum(), datasets.size(),
                datasets.stream().mapToLong(Dataset::bytes).sum() / 1e6, queue.dataDirectory());
        System.out.println("Weak regions: " + run.results().getOrDefault("flag_weak_regions", "none (the task was skipped)"));
        System.out.println("Report: " + report.toAbsolutePath());
        Path svg = write("queuack-demo-etl.svg", run.toSvg());
        write("queuack-demo-etl.mmd", run.toMermaid(Theme.DEFAULT));
        System.out.println("Pictures: " + svg.toAbsolutePath() + " (and .mmd, Mermaid)");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }
}
