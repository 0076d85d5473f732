package io.queuack.kernel;

import io.queuack.BackfillRun;
import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.WorkerPoolBuilder;
import io.queuack.dag.Dag;
import io.queuack.schedule.Backfill;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a plain jshell session gets instead of a notebook's rich outputs: text renderings and a terminal
 * progress bar. The start-up script {@code queuack.jsh} (in this jar, and in {@code kernel-extension/jshell})
 * wires {@code show(..)} and {@code run(..)} to these.
 */
public final class Terminal {

    private Terminal() {
    }

    /** @return how {@code value} reads as text: its {@code text/plain} rendering, or {@code toString()} */
    public static String text(Object value) {
        return Renderings.render(value).map(bundle -> bundle.data().get(MimeBundle.TEXT)).orElse(String.valueOf(value));
    }

    /** Runs a DAG with four workers of its own (only its tasks) under a progress bar; prints the run's tree and summary. */
    public static DagRun run(Queuack queue, Dag dag) {
        DagRun run = queue.submit(dag);
        follow(run, queue.workersFor(run), dag.name() + " #" + run.id(), " tasks");
        System.out.print(run.toText());
        System.out.println(LiveRun.summary(run));
        return run;
    }

    /** Runs a backfill with four workers of its own under a progress bar of its slots; prints its grid and summary. */
    public static BackfillRun backfill(Queuack queue, Backfill backfill) {
        BackfillRun run = queue.backfill(backfill);
        follow(run.parent(), queue.workersFor(run), backfill.dag().name() + " backfill #" + run.id(), " slots");
        System.out.print(run.toText());
        System.out.println(LiveRun.summary(run));
        return run;
    }

    private static void follow(DagRun run, WorkerPoolBuilder workers, String name, String unit) {
        int tasks = run.taskCount();
        try (WorkerPool pool = workers.concurrency(4).start();
             ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(tasks)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(unit, 1).build()) {
            while (!run.await(Duration.ofMillis(200)).isFinished()) {
                bar.stepTo(Math.round(run.progress() * tasks));
            }
            bar.stepTo(tasks);
        }
    }
}
