package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.DidYouMean;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DAG magics, kernel-agnostic:
 * <ul>
 *   <li>{@code %%dag <name> [--run] [--workers N]}: builds a DAG from the cell's compact text form (see
 *       {@link DagCell}), binds it to a session variable named after it, draws it, and runs it with live
 *       progress if asked;</li>
 *   <li>{@code %dag show <variable>}, {@code %dag run <variable> [--workers N]}, {@code %dag runs <name>}:
 *       draw, run, list runs.</li>
 * </ul>
 * {@code --help} on either prints its usage.
 */
public final class DagMagics {

    static final String CELL_USAGE = """
            %%dag <name> [--run] [--workers N]
              One task per line:  name [<- upstream, ...] [option=value ...] : <Java expression or { block }>
              Options: retries=3  timeout=30s  priority=80  mode=ALL|ANY  queue=etl  version=v2
              The body sees the task's context as `ctx` and everything defined in earlier cells.
              Binds the DAG to a variable named after it, draws it; --run runs it with live progress.""";

    static final String LINE_USAGE = """
            %dag show <variable>                 draw a DAG (or a run)
            %dag run <variable> [--workers N]    run a DAG on the session's queue with live progress
            %dag runs <dag name>                 list the latest runs of a DAG
            %dag resume <variable> <run id>      finish a run an earlier session left (crash, restart)""";

    private static final int DEFAULT_WORKERS = 4;

    private DagMagics() {
    }

    /** {@code %%dag}: returns the DAG built. */
    public static Dag cell(List<String> args, String body, Notebook notebook) {
        if (args.contains("--help") || args.isEmpty()) {
            notebook.display(MimeBundle.text(CELL_USAGE));
            return null;
        }
        Flags flags = Flags.parse(args.subList(1, args.size()), "%%dag", List.of("--run"), List.of("--workers"));
        DagCell cell = DagCell.parse(args.get(0), body);
        cell.validate();
        String variable = cell.variableName();
        notebook.eval(cell.toJava(variable));
        Dag dag = (Dag) notebook.eval(variable);
        notebook.display(Renderings.render(dag).orElseThrow());
        if (flags.has("--run")) {
            run(dag, flags.number("--workers", DEFAULT_WORKERS), notebook);
        }
        return dag;
    }

    /** {@code %dag}: returns what it showed or ran. */
    public static Object line(List<String> args, Notebook notebook) {
        if (args.isEmpty() || args.contains("--help")) {
            notebook.display(MimeBundle.text(LINE_USAGE));
            return null;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "show" -> {
                Object value = variable(rest, "show", notebook);
                notebook.display(Renderings.render(value).orElseThrow(() -> new MagicException(
                        "%dag show: " + rest.get(0) + " is a " + value.getClass().getSimpleName() + ", not a DAG or a run")));
                return value;
            }
            case "run" -> {
                Object value = variable(rest, "run", notebook);
                if (!(value instanceof Dag dag)) {
                    throw new MagicException("%dag run: " + rest.get(0) + " is not a DAG");
                }
                Flags flags = Flags.parse(rest.subList(1, rest.size()), "%dag run", List.of(), List.of("--workers"));
                return run(dag, flags.number("--workers", DEFAULT_WORKERS), notebook);
            }
            case "resume" -> {
                Object value = variable(rest, "resume", notebook);
                if (!(value instanceof Dag dag) || rest.size() < 2 || !rest.get(1).matches("\\d+")) {
                    throw new MagicException("%dag resume takes a DAG variable and a run id, e.g. `%dag resume etl 12`");
                }
                Flags flags = Flags.parse(rest.subList(2, rest.size()), "%dag resume", List.of(), List.of("--workers"));
                Queuack queue = Session.queue();
                return LiveRun.follow(queue, queue.resume(dag, Long.parseLong(rest.get(1))),
                        flags.number("--workers", DEFAULT_WORKERS), notebook);
            }
            case "runs" -> {
                if (rest.size() != 1) {
                    throw new MagicException("%dag runs takes one DAG name, e.g. `%dag runs daily_sales`");
                }
                List<String> lines = new ArrayList<>();
                for (DagRun run : Session.queue().dagRuns(rest.get(0), 20)) {
                    lines.add(String.format(Locale.ROOT, "#%d %s %s, %.0f%%", run.id(), run.createdAt(), run.status(),
                            run.progress() * 100));
                }
                notebook.display(MimeBundle.text(lines.isEmpty() ? "No runs of " + rest.get(0) : String.join("\n", lines)));
                return null;
            }
            default -> throw new MagicException("%dag: unknown command '" + command + "'"
                    + DidYouMean.hint(command, List.of("show", "run", "runs", "resume")) + "\n" + LINE_USAGE);
        }
    }

    private static DagRun run(Dag dag, int workers, Notebook notebook) {
        Queuack queue = Session.queue();
        return LiveRun.follow(queue, queue.submit(dag), workers, notebook);
    }

    private static Object variable(List<String> rest, String command, Notebook notebook) {
        if (rest.isEmpty() || !rest.get(0).matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new MagicException("%dag " + command + " needs a variable name, e.g. `%dag " + command + " etl`");
        }
        Object value = notebook.eval(rest.get(0));
        if (value == null) {
            throw new MagicException("%dag " + command + ": " + rest.get(0) + " is null");
        }
        return value;
    }
}
