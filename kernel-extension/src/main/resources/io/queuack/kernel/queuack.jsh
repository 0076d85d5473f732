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
