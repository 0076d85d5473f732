package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.TaskSet;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code %%tasks <ClassName>} cell magic, kernel-agnostic: the cell's statements register named tasks and DAGs on
 * {@code queue}; they become a {@link TaskSet} class compiled into the session's folder ({@link TaskSetCompiler}),
 * registered on the session's queue, and run by the worker processes {@code %queue processes N} starts.
 */
public final class TaskMagic {

    static final String USAGE = """
            %%tasks <ClassName>
              The cell's statements register named tasks and DAGs on `queue`, e.g.
                queue.register("square", Integer.class, (ctx, n) -> n * n);
                queue.register(Dag.builder("nightly").task("extract", () -> 1).build());
              They become a TaskSet class, compiled and registered on the session's queue; `%queue processes N`
              starts worker processes that run them. The cell sees what it imports (io.queuack.*, java.util.* and
              java.time.* are imported) but not the variables of other cells: worker processes have none of them.""";

    private TaskMagic() {
    }

    /** {@code %%tasks}: returns the task set compiled and registered. */
    public static TaskSet cell(List<String> args, String body, Notebook notebook) {
        if (args.size() != 1 || args.contains("--help")) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        String name = args.get(0);
        TaskSetCompiler.Compiled compiled = Session.defineTasks(name, body);
        TreeSet<String> tasks;
        TreeSet<String> dags;
        try (Queuack scratch = Queuack.builder().inMemory().open()) {
            compiled.taskSet().register(scratch);
            tasks = new TreeSet<>(scratch.tasks());
            dags = new TreeSet<>(scratch.dags());
        }
        StringBuilder text = new StringBuilder("Task set " + name + ": tasks " + tasks + ", DAGs " + dags
                + "; registered on " + Session.queue().description() + "; compiled to " + compiled.classes()
                + " (a worker elsewhere: --class-path <that folder> --tasks " + name + ").");
        int running = Session.processesRunning();
        if (running > 0) {
            text.append(" The ").append(running).append(" worker processes started before still run the code they"
                    + " started with: `%queue processes ").append(running).append("` restarts them with this one.");
        } else {
            text.append(" `%queue processes N` starts N worker processes that run them.");
        }
        notebook.display(MimeBundle.text(text.toString()));
        return compiled.taskSet();
    }
}
