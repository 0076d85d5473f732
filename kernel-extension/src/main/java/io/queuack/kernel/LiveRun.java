package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.RunTask;
import io.queuack.WorkerPool;
import io.queuack.error.QueuackException;
import io.queuack.job.RunStatus;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;

/**
 * Runs a DAG run with a worker pool of its own, which takes exactly that run's tasks on whatever queues they use
 * (or, with no workers, follows it while the store's other pools and processes run it), and shows its picture in one output, updated in place as tasks change state (at most every {@link #INTERVAL}),
 * then a summary with timings.
 *
 * <p>Interrupting the cell stops the pool at once: running tasks are interrupted and give their attempts back, and
 * the run stays as it was, to go on with {@code %dag resume} or to end with {@code %dag cancel}. The kernel ends the
 * cell the moment it is interrupted, so what happened is said right away in the cell and, if that cell had
 * already ended, by the next magic.
 */
final class LiveRun {

    /** The fastest the live output is redrawn. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    private LiveRun() {
    }

    static DagRun follow(Queuack queue, DagRun run, int workers, Notebook notebook) {
        Notebook.LiveOutput live = notebook.displayLive(picture(run));
        if (run.isFinished()) {
            notebook.display(MimeBundle.text(summary(run)));
            return run;
        }
        String dag = run.dagName();
        double progress = run.progress();
        String shown = state(run.status(), progress);
        WorkerPool pool = workers == 0 ? null : queue.workersFor(run).concurrency(workers).start();
        boolean interrupted = false;
        try {
            while (!run.await(INTERVAL).isFinished()) {
                progress = run.progress();
                String now = state(run.status(), progress);
                if (!now.equals(shown)) {
                    live.update(picture(run));
                    shown = now;
                }
            }
        } catch (QueuackException e) {
            interrupted = Thread.interrupted();     // cleared while it reports and stops, set again at the end
            if (!interrupted) {
                throw e;
            }
            tellInterrupted(run.id(), dag, progress, pool != null, notebook);
        } finally {
            if (pool != null && interrupted) {
                pool.close(Duration.ZERO);
            } else if (pool != null) {
                pool.close();
            }
        }
        live.update(picture(run));
        if (interrupted) {
            Thread.currentThread().interrupt();
        } else {
            notebook.display(MimeBundle.text(summary(run)));
        }
        return run;
    }

    /** The cell was interrupted: say what becomes of the run before its pool stops (the cell may end any moment). */
    private static void tellInterrupted(long id, String dag, double progress, boolean ownWorkers, Notebook notebook) {
        String notice = ownWorkers ? String.format(Locale.ROOT, "Interrupted: run #%d of %s stopped with %.0f%% of"
                + " its tasks finished; its workers were stopped and its running tasks will run again. It stays as it"
                + " is: `%%dag resume %s %d` goes on with it, `%%dag cancel %d` cancels it.", id, dag, progress * 100,
                dag, id, id) : String.format(Locale.ROOT, "Interrupted: this cell stopped following run #%d of %s at"
                + " %.0f%%; the store's workers go on with it. `%%dag resume %s %d --workers 0` follows it again,"
                + " `%%dag cancel %d` cancels it.", id, dag, progress * 100, dag, id, id);
        notebook.error(notice);
        if (!notebook.inCell()) {
            Session.notice(notice);
        }
    }

    /** A cheap fingerprint of the run's state (its counters): the output is redrawn only when it changes. */
    private static String state(RunStatus status, double progress) {
        return status.name() + Math.round(progress * 1000);
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
