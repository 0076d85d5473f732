package io.queuack.benchmarks;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.job.RunStatus;
import io.queuack.kernel.DagMagics;
import io.queuack.kernel.MimeBundle;
import io.queuack.kernel.Notebook;
import io.queuack.kernel.Session;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Notebook figures: the time from a {@code %%dag} cell's start to its picture (parse, compile the bodies in a JShell
 * session, validate, lay out the SVG) for 50- and 500-task DAGs; and what live progress adds to a 10,000-task no-op
 * run, measured against the same run without displays, side by side.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "Notebook magic and live progress figures.")
final class KernelBenchmark implements Callable<Integer> {

    @Option(names = "--repeat", description = "repetitions; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--tasks", description = "tasks of the live-progress run (default: ${DEFAULT-VALUE})")
    int tasks = 10_000;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    /** A notebook over a local JShell, as the kernels have; displays are rendered, then dropped. */
    static final class BenchNotebook implements Notebook {
        final JShell shell = JShell.builder().executionEngine("local").build();
        final Map<String, Object> variables = new HashMap<>();
        final AtomicInteger updates = new AtomicInteger();

        BenchNotebook() {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            shell.eval("import java.util.*;");
        }

        @Override
        public Object eval(String code) {
            if (variables.containsKey(code)) {
                return variables.get(code);
            }
            Object value = null;
            for (SnippetEvent event : shell.eval(code)) {
                if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
                    throw new IllegalStateException("cannot evaluate " + code);
                }
                String name = event.snippet() instanceof VarSnippet variable ? variable.name()
                        : event.snippet() instanceof ExpressionSnippet expression ? expression.name() : null;
                if (name != null) {
                    for (SnippetEvent hold : shell.eval(SnippetValue.class.getName() + ".value = " + name + ";")) {
                        if (hold.status() == Snippet.Status.REJECTED) {
                            throw new IllegalStateException("cannot read " + name + ": " + shell.diagnostics(
                                    hold.snippet()).map(d -> d.getMessage(null)).toList());
                        }
                    }
                    value = SnippetValue.value;
                }
            }
            return value;
        }

        @Override
        public void display(MimeBundle output) {
            output.data().size();
        }

        @Override
        public LiveOutput displayLive(MimeBundle first) {
            return output -> updates.incrementAndGet();
        }

        @Override
        public void error(String line) {
            throw new IllegalStateException(line);
        }

        @Override
        public boolean inCell() {
            return true;
        }
    }

    static String dagText(int count, int layer) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append('t').append(i);
            if (i >= layer) {
                text.append(" <- t").append(i - layer);
            }
            text.append(" : ").append(i).append('\n');
        }
        return text.toString();
    }

    @Override
    public Integer call() throws Exception {
        // JShell's local execution takes System.out and System.err over; the report prints on the real ones
        java.io.PrintStream console = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        try {
            return measure();
        } catch (Exception | Error e) {
            e.printStackTrace(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true));
            throw e;
        } finally {
            console.flush();
        }
    }

    private int measure() throws Exception {
        Report report = new Report("kernel");
        BenchNotebook notebook = new BenchNotebook();
        DagMagics.cell(List.of("warm"), dagText(50, 10), notebook);
        for (int size : new int[] {50, 500}) {
            double[] millis = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long start = System.nanoTime();
                DagMagics.cell(List.of("dag" + size + "_" + i), dagText(size, 10), notebook);
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            report.add(Figure.of("%%dag cell to picture, " + size + " tasks", Figure.median(millis), "ms"));
        }

        Dag big = DagBenchmark.layered("live", tasks, 500);
        notebook.variables.put("live", big);
        Path folder = java.nio.file.Files.createTempDirectory("queuack-kernel-bench");
        runPlain(Session.open(folder.resolve("warm-plain.duckdb")), big);
        Session.open(folder.resolve("warm-live.duckdb"));
        DagMagics.line(List.of("run", "live", "--workers", "4"), notebook);
        double[] plain = new double[repeat];
        double[] live = new double[repeat];
        int updates = 0;
        for (int i = 0; i < repeat; i++) {
            // each run on a new file of its own: a queue's history slows its claims, and must not favour either side
            plain[i] = runPlain(Session.open(folder.resolve("plain-" + i + ".duckdb")), big);
            Session.open(folder.resolve("live-" + i + ".duckdb"));
            notebook.updates.set(0);
            long start = System.nanoTime();
            DagRun run = (DagRun) DagMagics.line(List.of("run", "live", "--workers", "4"), notebook);
            live[i] = (System.nanoTime() - start) / 1e6;
            updates = notebook.updates.get();
            if (run.status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("live run " + run.status());
            }
        }
        double plainMs = Figure.median(plain);
        double liveMs = Figure.median(live);
        report.add(Figure.of(tasks + "-task run with live progress", liveMs, "ms").withPeer("without displays", plainMs));
        report.add(Figure.of("live progress overhead", (liveMs / plainMs - 1) * 100, "%"));
        report.add(Figure.of("live updates per run", updates, "updates"));
        Session.close();
        notebook.shell.close();
        report.write(results);
        return 0;
    }

    private static double runPlain(Queuack queue, Dag dag) {
        long start = System.nanoTime();
        DagRun run = queue.submit(dag);
        try (WorkerPool pool = queue.workersFor(run).concurrency(4).start()) {     // the pool a live run has
            while (!run.await(Duration.ofMillis(250)).isFinished()) {
                continue;
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
