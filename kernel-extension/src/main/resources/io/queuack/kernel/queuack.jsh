// Queuack in a plain jshell session: the notebook API with text renderings and a terminal progress bar.
//
//   jshell --class-path queuack-kernel-<version>-all.jar -R--add-opens=java.base/java.nio=ALL-UNNAMED \
//          --startup DEFAULT --startup queuack.jsh
//
// (-R passes the flag to the JVM that runs your snippets; Arrow datasets need it.) The session queue is
// DuckDB in memory, or the file named by the environment variable QUEUACK_DB.
import io.queuack.*;
import io.queuack.job.*;
import io.queuack.event.*;
import io.queuack.error.*;
import io.queuack.dag.*;
import io.queuack.draw.*;
import io.queuack.arrow.*;
import io.queuack.schedule.*;
import tech.tablesaw.api.*;

Queuack queue = io.queuack.kernel.Session.queue();

/** Prints a DAG, a run, a dataset, a table, a job or stats as text. */
void show(Object value) {
    System.out.println(io.queuack.kernel.Terminal.text(value));
}

/** Runs a DAG on the session queue with a progress bar; prints the run as a tree and a summary. */
DagRun run(Dag dag) {
    return io.queuack.kernel.Terminal.run(queue, dag);
}

/** Runs a backfill (a run of its DAG per slot) with four workers of its own under a progress bar; prints its grid. */
BackfillRun backfill(Backfill backfill) {
    return io.queuack.kernel.Terminal.backfill(queue, backfill);
}

/** Prints the store's schedules with their next fire times (they fire while a worker pool runs: queue.workers().start()). */
void schedules() {
    show(new io.queuack.kernel.ScheduleTable(queue.schedules().list(), java.time.Instant.now()));
}

/** Serves the session queue's web dashboard (read-only, on loopback) and prints its address. */
io.queuack.dashboard.Dashboard dashboard() {
    io.queuack.dashboard.Dashboard started = io.queuack.dashboard.Dashboard.start(queue);
    System.out.println("Queuack dashboard: " + started.url());
    return started;
}
