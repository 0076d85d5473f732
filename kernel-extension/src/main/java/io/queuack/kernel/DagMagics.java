package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.text.DidYouMean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DAG magics, kernel-agnostic:
 * <ul>
 *   <li>{@code %%dag <name> [--run] [--workers N] [--cron ... | --every ...]}: builds a DAG from the cell's compact
 *       text form (see {@link DagCell}), binds it to a session variable named after it, draws it, schedules it
 *       ({@link ScheduleMagics}) and runs it with live progress if asked;</li>
 *   <li>{@code %dag show|run|resume|runs|cancel ...}: draw, run, go on with, list and cancel runs.</li>
 * </ul>
 * {@code %dag --help} prints the usage of both. A DAG defined by {@code %%dag} is also kept by the {@link Session},
 * so {@code %dag} finds it by name even when JJava has reset its variable.
 */
public final class DagMagics {

    static final String CELL_USAGE = """
            %%dag <name> [--run] [--workers N] [--cron <expression> | --every <interval>] [--zone Z] ...
              One task per line:  name [<- upstream, ...] [option=value ...] : <Java expression or { block }>
              Options: retries=3  timeout=30s  priority=80  mode=ALL|ANY  queue=etl  version=v2
              The body sees the task's context as `ctx` and everything defined in earlier cells; indented lines
              continue it. Binds the DAG to a variable named after it and draws it; --run runs it with live progress;
              --cron or --every schedules it (with the options of `%schedule --help`).
              The tasks go on the lines under %%dag: a %%dag line alone is not a cell magic for the kernel.""";

    static final String LINE_USAGE = """
            %dag show <name>                     draw a DAG (or a run) held by a variable, or defined by %%dag
            %dag run <name> [--workers N]        run a DAG on the session's queue with live progress (--workers 0:
                                                 the store's other workers and processes run it; this cell follows)
            %dag resume <name> <run id>          go on with a run that was interrupted or left by a crash, live
            %dag runs <dag name>                 list the latest runs of a DAG
            %dag cancel <run id>                 cancel a run: its unfinished tasks are cancelled
            Interrupting a running cell stops its workers at once; the run stays as it was, to resume or cancel.""";

    private static final int DEFAULT_WORKERS = 4;
    private static final List<String> COMMANDS = List.of("show", "run", "runs", "resume", "cancel");

    private DagMagics() {
    }

    /** {@code %%dag}: returns the DAG built. */
    public static Dag cell(List<String> args, String body, Notebook notebook) {
        if (args.contains("--help") || args.isEmpty()) {
            notebook.display(MimeBundle.text(CELL_USAGE));
            return null;
        }
        List<String> switches = new ArrayList<>(ScheduleMagics.SWITCHES);
        switches.add("--run");
        List<String> options = new ArrayList<>(ScheduleMagics.OPTIONS);
        options.add("--workers");
        Flags flags = Flags.parse(args.subList(1, args.size()), "%%dag", switches, options, ScheduleMagics.PHRASES);
        int workers = flags.number("--workers", DEFAULT_WORKERS, 0);
        DagCell cell = DagCell.parse(args.get(0), body);
        cell.validate();
        String variable = cell.variableName();
        DagCode code = DagCode.of(cell, variable);
        try {
            notebook.eval(code.java());
        } catch (SnippetException e) {
            throw code.explain(e);
        }
        Dag dag = (Dag) notebook.eval(variable);
        Session.define(variable, dag);
        if (!variable.equals(args.get(0))) {
            notebook.display(MimeBundle.text("DAG " + dag.name() + " is bound to the variable " + variable));
        }
        notebook.display(Renderings.render(dag).orElseThrow());
        if (ScheduleMagics.asks(flags)) {
            notebook.display(Renderings.render(ScheduleMagics.schedule(dag, flags, notebook)).orElseThrow());
        }
        if (flags.has("--run")) {
            run(dag, workers, notebook);
        }
        return dag;
    }

    /** {@code %dag}: returns what it showed or ran. */
    public static Object line(List<String> args, Notebook notebook) {
        if (args.isEmpty() || args.contains("--help")) {
            notebook.display(MimeBundle.text(LINE_USAGE + "\n\n" + CELL_USAGE));
            return null;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "show" -> {
                Object value = named(rest, "%dag show", notebook);
                notebook.display(Renderings.render(value).orElseThrow(() -> new MagicException(
                        "%dag show: " + rest.get(0) + " holds a " + value.getClass().getName() + ", not a DAG or a run")));
                return value;
            }
            case "run" -> {
                Dag dag = dag(rest, "%dag run", notebook);
                Flags flags = Flags.parse(rest.subList(1, rest.size()), "%dag run", List.of(), List.of("--workers"));
                return run(dag, flags.number("--workers", DEFAULT_WORKERS, 0), notebook);
            }
            case "resume" -> {
                if (rest.size() < 2 || !rest.get(1).matches("\\d{1,18}")) {
                    throw new MagicException("%dag resume takes a DAG and a run id, e.g. `%dag resume etl 12`");
                }
                Dag dag = dag(rest, "%dag resume", notebook);
                Flags flags = Flags.parse(rest.subList(2, rest.size()), "%dag resume", List.of(), List.of("--workers"));
                Queuack queue = Session.queue();
                return LiveRun.follow(queue, queue.dagRun(dag, Long.parseLong(rest.get(1))),
                        flags.number("--workers", DEFAULT_WORKERS, 0), notebook);
            }
            case "cancel" -> {
                if (rest.size() != 1 || !rest.get(0).matches("\\d{1,18}")) {
                    throw new MagicException("%dag cancel takes a run id, e.g. `%dag cancel 12`");
                }
                long id = Long.parseLong(rest.get(0));
                DagRun run = Session.queue().dagRun(id).orElseThrow(() -> new MagicException("No DAG run with id " + id
                        + " is stored (`%dag runs <dag>` lists them)"));
                boolean cancelled = run.cancel();
                notebook.display(MimeBundle.text(cancelled ? "Run #" + id + " of " + run.dagName() + " cancelled"
                        : "Run #" + id + " of " + run.dagName() + " had already finished: " + run.status()));
                return run;
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
                    + DidYouMean.hint(command, COMMANDS) + "; commands: " + String.join(", ", COMMANDS)
                    + " (`%dag --help` explains)");
        }
    }

    private static DagRun run(Dag dag, int workers, Notebook notebook) {
        Queuack queue = Session.queue();
        return LiveRun.follow(queue, queue.submit(dag), workers, notebook);
    }

    /**
     * @param what the magic and command, for messages ({@code %dag run}, {@code %backfill})
     * @return the DAG named by {@code rest[0]}: see {@link #named}
     */
    static Dag dag(List<String> rest, String what, Notebook notebook) {
        Object value = named(rest, what, notebook);
        if (!(value instanceof Dag dag)) {
            throw new MagicException(what + ": " + rest.get(0) + " holds a " + value.getClass().getName()
                    + ", not a DAG");
        }
        return dag;
    }

    /**
     * @return the value of the session variable {@code rest[0]}, or else the DAG {@code %%dag} defined under that
     *         variable or DAG name (JJava resets variables when a method or class they depend on is redefined), or
     *         else the DAG of that name registered on the session's queue (by {@code %%tasks}, say)
     */
    private static Object named(List<String> rest, String what, Notebook notebook) {
        if (rest.isEmpty() || !rest.get(0).matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new MagicException(what + " needs the name of a DAG (or a variable), e.g. `" + what + " etl`"
                    + (rest.isEmpty() ? "" : "; got '" + rest.get(0) + "'"));
        }
        String name = rest.get(0);
        Optional<Object> variable = Variables.find(notebook, name);
        if (variable.isPresent() && variable.get() != Variables.NULL) {
            return variable.get();
        }
        Optional<Dag> defined = Session.dag(name).or(() -> Session.queue().dag(name));
        if (defined.isPresent()) {
            return defined.get();
        }
        if (variable.isPresent()) {
            throw new MagicException(what + ": " + name + " is null (JJava resets a variable when a"
                    + " method or class its value depends on is redefined: run the cell that sets it again)");
        }
        throw new MagicException(what + ": no variable or DAG named " + name + " in this session"
                + DidYouMean.hint(name, Session.dagNames()) + (Session.dagNames().isEmpty() ? ""
                : "; %%dag defined " + String.join(", ", Session.dagNames())));
    }
}
