package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.RunStatus;
import io.queuack.RunTask;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;

/**
 * Runs a submitted DAG run with a worker pool and shows its picture in one output, updated in place as
 * tasks change state (at most every {@link #INTERVAL}), then a summary with timings.
 */
final class LiveRun {

    /** The fastest the live output is redrawn. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    private LiveRun() {
    }

    static DagRun follow(Queuack queue, DagRun run, int workers, Notebook notebook) {
        Notebook.LiveOutput live = notebook.displayLive(picture(run));
        String shown = state(run);
        try (WorkerPool pool = queue.workers().concurrency(workers).start()) {
            while (!run.await(INTERVAL).isFinished()) {
                String now = state(run);
                if (!now.equals(shown)) {
                    live.update(picture(run));
                    shown = now;
                }
            }
        }
        live.update(picture(run));
        notebook.display(MimeBundle.text(summary(run)));
        return run;
    }

    /** A cheap fingerprint of the run's state (its counters): the output is redrawn only when it changes. */
    private static String state(DagRun run) {
        return run.status().name() + Math.round(run.progress() * 1000);
    }

    private static MimeBundle picture(DagRun run) {
        return Renderings.render(run).orElseThrow();
    }

    /**
     * @return the run's status, time and task count; for runs small enough to draw also the slowest task, and for
     *         runs that did not succeed the errors (both load every task, which a 10,000-task run should not pay)
     */
    static String summary(DagRun run) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Run #%d of %s %s in %.2f s: %,d tasks",
                run.id(), run.dagName(), run.status(), run.duration().toMillis() / 1000.0, run.taskCount()));
        if (run.taskCount() <= Renderings.MAX_DRAWN_TASKS) {
            run.tasks().stream().filter(task -> task.duration() != null).max(Comparator.comparing(RunTask::duration))
                    .ifPresent(slowest -> text.append(String.format(Locale.ROOT, "; slowest: %s %.2f s", slowest.name(),
                            slowest.duration().toMillis() / 1000.0)));
        }
        if (run.status() != RunStatus.SUCCEEDED) {
            run.errors().forEach((task, error) -> text.append("\n  ").append(task).append(" failed: ").append(error.message()));
        }
        return text.toString();
    }
}
