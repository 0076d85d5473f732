package io.queuack.kernel;

import io.queuack.BackfillRun;
import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.RunTask;
import io.queuack.WorkerPool;
import io.queuack.WorkerPoolBuilder;
import io.queuack.error.QueuackException;
import io.queuack.job.RunStatus;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs a DAG run (or a backfill) with a worker pool of its own, which takes exactly that run's tasks on whatever
 * queues they use (or, with no workers, follows it while the store's other pools and processes run it), and shows
 * its picture in one output, updated in place as tasks change state (at most every {@link #INTERVAL}), then a
 * summary with timings.
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

    /**
     * What a live output follows: a run, how to draw it, the pool that runs only its tasks, its summary, and the
     * magics that go on with it after an interruption.
     *
     * @param run     the run (for a backfill, its parent)
     * @param picture draws it as it is now
     * @param pool    a pool builder for exactly its tasks
     * @param summary its summary once finished
     * @param resume  the magic that goes on with it with workers of its own
     * @param follow  the magic that follows it again while the store's workers run it
     */
    private record Followed(DagRun run, Supplier<MimeBundle> picture, Supplier<WorkerPoolBuilder> pool,
                            Supplier<String> summary, String resume, String follow) {
    }

    static DagRun follow(Queuack queue, DagRun run, int workers, Notebook notebook) {
        String again = "%dag resume " + run.dagName() + " " + run.id();
        follow(new Followed(run, () -> picture(run), () -> queue.workersFor(run), () -> summary(run), again,
                again + " --workers 0"), workers, notebook);
        return run;
    }

    /** Like {@link #follow(Queuack, DagRun, int, Notebook)} for a backfill, whose cell ({@code again}) goes on with it. */
    static BackfillRun follow(Queuack queue, BackfillRun backfill, int workers, Notebook notebook, String again) {
        follow(new Followed(backfill.parent(), () -> Renderings.render(backfill).orElseThrow(),
                () -> queue.workersFor(backfill), () -> summary(backfill), again, again + " --workers 0"), workers,
                notebook);
        return backfill;
    }

    private static void follow(Followed followed, int workers, Notebook notebook) {
        DagRun run = followed.run();
        Notebook.LiveOutput live = notebook.displayLive(followed.picture().get());
        if (run.isFinished()) {
            notebook.display(MimeBundle.text(followed.summary().get()));
            return;
        }
        double progress = run.progress();
        String shown = state(run.status(), progress);
        WorkerPool pool = workers == 0 ? null : followed.pool().get().concurrency(workers).start();
        boolean interrupted = false;
        try {
            while (!run.await(INTERVAL).isFinished()) {
                progress = run.progress();
                String now = state(run.status(), progress);
                if (!now.equals(shown)) {
                    live.update(followed.picture().get());
                    shown = now;
                }
            }
        } catch (QueuackException e) {
            interrupted = Thread.interrupted();     // cleared while it reports and stops, set again at the end
            if (!interrupted) {
                throw e;
            }
            tellInterrupted(followed, progress, pool != null, notebook);
        } finally {
            if (pool != null && interrupted) {
                pool.close(Duration.ZERO);
            } else if (pool != null) {
                pool.close();
            }
        }
        live.update(followed.picture().get());
        if (interrupted) {
            Thread.currentThread().interrupt();
        } else {
            notebook.display(MimeBundle.text(followed.summary().get()));
        }
    }

    /** The cell was interrupted: say what becomes of the run before its pool stops (the cell may end any moment). */
    private static void tellInterrupted(Followed followed, double progress, boolean ownWorkers, Notebook notebook) {
        long id = followed.run().id();
        String what = "run #" + id + " of " + followed.run().dagName();
        String notice = ownWorkers ? String.format(Locale.ROOT, "Interrupted: %s stopped with %.0f%% of its tasks"
                + " finished; its workers were stopped and its running tasks will run again. It stays as it is: `%s`"
                + " goes on with it, `%%dag cancel %d` cancels it.", what, progress * 100, followed.resume(), id)
                : String.format(Locale.ROOT, "Interrupted: this cell stopped following %s at %.0f%%; the store's"
                + " workers go on with it. `%s` follows it again, `%%dag cancel %d` cancels it.", what, progress * 100,
                followed.follow(), id);
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

    /** @return the backfill's status, time and slots per state */
    static String summary(BackfillRun backfill) {
        DagRun parent = backfill.parent();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Backfill #%d of %s %s in %.2f s: %,d slots",
                backfill.id(), backfill.dagName(), backfill.status(), parent.duration().toMillis() / 1000.0,
                parent.taskCount()));
        backfill.counts().forEach((status, count) -> text.append(", ").append(count).append(' ').append(status.dbName()));
        parent.errors().forEach((slot, error) -> text.append("\n  ").append(slot).append(" failed: ").append(error.message()));
        return text.toString();
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
