package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dashboard.Dashboard;
import io.queuack.dag.Dag;
import io.queuack.error.QueuackException;
import io.queuack.worker.LocalWorkers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a notebook session keeps outside its JShell variables, which JJava resets when a method or class they
 * depend on is redefined: the session's default queue (a DuckDB file named by the environment variable
 * {@value #DATABASE_VARIABLE}, or one opened with {@code %queue open <file>}, or else DuckDB in memory, opened on
 * first use), the DAGs defined by {@code %%dag}, the task sets compiled by {@code %%tasks} (registered on every
 * queue the session opens) and the worker processes {@code %queue processes} started with them, and what the next
 * magic should tell about a run an interrupt stopped. One per kernel.
 */
public final class Session {

    /** Environment variable naming the session's DuckDB file. */
    public static final String DATABASE_VARIABLE = "QUEUACK_DB";
    /** Set by JupyterHub (and Binder) to the path of the user's server; its server proxy serves ports under it. */
    static final String JUPYTER_PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX";

    private static final Map<String, Dag> DAGS = new LinkedHashMap<>();
    private static final List<String> NOTICES = new ArrayList<>();
    private static final Map<String, TaskSetCompiler.Compiled> TASK_SETS = new LinkedHashMap<>();
    private static Queuack queue;
    /** The location of the session's queue if other processes can open it too (a PostgreSQL URL), else null. */
    private static String sharedStore;
    private static WorkerPool workers;
    private static Dashboard dashboard;
    private static LocalWorkers processes;
    private static Path folder;

    private Session() {
    }

    /** @return the session's queue, opened on first use */
    public static synchronized Queuack queue() {
        if (queue == null || queue.isClosed()) {
            String file = System.getenv(DATABASE_VARIABLE);
            queue = file == null || file.isBlank() ? Queuack.builder().duckdbInMemory().open()
                    : Queuack.open(Path.of(file));
            sharedStore = null;
            registerTaskSets();
        }
        return queue;
    }

    /** The task sets {@code %%tasks} defined come with the session to every queue it opens. */
    private static void registerTaskSets() {
        TASK_SETS.values().forEach(compiled -> compiled.taskSet().register(queue));
    }

    /** Makes a DuckDB file the session's queue, closing the previous one. */
    public static synchronized Queuack open(Path file) {
        Objects.requireNonNull(file, "file");
        close();
        queue = Queuack.open(file);
        registerTaskSets();
        return queue;
    }

    /**
     * Makes the queue at {@code location} (a DuckDB file path, or a {@code jdbc:postgresql://} URL) the session's
     * queue, closing the previous one.
     */
    public static synchronized Queuack open(String location) {
        Objects.requireNonNull(location, "location");
        close();
        queue = Queuack.open(location);
        sharedStore = location.startsWith("jdbc:") ? location : null;
        registerTaskSets();
        return queue;
    }

    /** Compiles a {@code %%tasks} cell and registers it on the session's queue. @return the task set */
    static synchronized TaskSetCompiler.Compiled defineTasks(String name, String body) {
        TaskSetCompiler.Compiled compiled = TaskSetCompiler.compile(name, body, folder().resolve("tasks"));
        try {
            compiled.taskSet().register(queue());
        } catch (RuntimeException e) {
            throw new MagicException("%%tasks " + name + ": its registrations failed: " + (e instanceof
                    IllegalArgumentException || e instanceof QueuackException ? e.getMessage() : e.toString()));
        }
        TASK_SETS.put(name, compiled);
        return compiled;
    }

    /** @return the worker processes {@code %queue processes} started that are still running */
    static synchronized int processesRunning() {
        return processes == null ? 0 : processes.alive();
    }

    /**
     * Starts {@code count} worker processes on the session's shared store with the task sets of {@code %%tasks},
     * replacing those started before; 0 stops them.
     *
     * @param threads worker threads per process, or null for the default
     * @return what happened, for the notebook
     */
    static synchronized String processes(int count, Integer threads) {
        if (processes != null) {
            processes.close();
            processes = null;
        }
        if (count == 0) {
            return "Worker processes stopped";
        }
        queue();
        if (sharedStore == null) {
            throw new MagicException("Worker processes need a store they can open too: `%queue open"
                    + " jdbc:postgresql://host/db?user=..` first (the session's " + queue.description()
                    + " is this kernel's alone)");
        }
        if (TASK_SETS.isEmpty()) {
            throw new MagicException("Worker processes run the tasks of task sets: define one with `%%tasks <Name>`"
                    + " first (a lambda or a task registered in a cell runs only in this kernel)");
        }
        LocalWorkers.Builder builder = LocalWorkers.on(sharedStore).processes(count).jvmOptions(Setup.flags())
                .logFolder(folder().resolve("logs"));
        if (threads != null) {
            builder.concurrency(threads);
        }
        TASK_SETS.values().forEach(compiled -> builder.classPath(compiled.classes()).tasks(compiled.name()));
        processes = builder.start();
        return count + (count == 1 ? " worker process" : " worker processes") + " (pid " + processes.pids().stream()
                .map(String::valueOf).collect(Collectors.joining(", ")) + ") run the jobs of " + queue.description()
                + " with " + String.join(", ", TASK_SETS.keySet()) + "; their logs are in " + folder().resolve("logs")
                + ". `%queue workers` lists them, `%queue processes 0` stops them; they stop with the kernel.";
    }

    /** @return the session's own folder for task sets and logs, made on first use */
    private static Path folder() {
        if (folder == null) {
            try {
                folder = Files.createTempDirectory("queuack-session-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make a folder for the session's task sets: " + e.getMessage(), e);
            }
        }
        return folder;
    }

    /**
     * Runs the session queue's jobs in the background with {@code threads} workers, replacing any running pool;
     * 0 stops them.
     *
     * @return what happened, for the notebook
     */
    public static synchronized String workers(int threads) {
        if (workers != null) {
            workers.close();
            workers = null;
        }
        if (threads == 0) {
            return "Workers stopped";
        }
        workers = queue().workers().concurrency(threads).start();
        return threads + " workers run the jobs of " + queue().description();
    }

    /**
     * Serves the session queue's web dashboard, replacing one started before (same port unless {@code port} names
     * another).
     *
     * @param port    the port, or null for the earlier dashboard's or a free one
     * @param actions whether a browser with its link may retry, cancel and purge
     * @return the dashboard
     */
    static synchronized Dashboard dashboard(Integer port, boolean actions) {
        int chosen = port != null ? port : dashboard != null ? dashboard.port() : Dashboard.DEFAULT_PORT;
        stopDashboard();
        Dashboard.Builder builder = Dashboard.builder(queue()).port(chosen);
        if (actions) {
            builder.allowActions();
        }
        String prefix = System.getenv(JUPYTER_PREFIX_VARIABLE);
        if (prefix != null && prefix.startsWith("/")) {
            builder.jupyterProxy(prefix);
        }
        dashboard = builder.start();
        return dashboard;
    }

    /** @return whether a dashboard was running (it is stopped now) */
    static synchronized boolean stopDashboard() {
        if (dashboard == null) {
            return false;
        }
        dashboard.close();
        dashboard = null;
        return true;
    }

    /**
     * @return the address a browser opens {@code dashboard} at: under JupyterHub and Binder, through Jupyter's server
     *         proxy (a path on the notebook's own server); otherwise its loopback URL
     */
    static String link(Dashboard dashboard) {
        String prefix = System.getenv(JUPYTER_PREFIX_VARIABLE);
        if (prefix == null || !prefix.startsWith("/")) {
            return dashboard.url();
        }
        String url = dashboard.url();
        int query = url.indexOf('?');
        return (prefix.endsWith("/") ? prefix : prefix + "/") + "proxy/" + dashboard.port() + "/"
                + (query < 0 ? "" : url.substring(query));
    }

    /** @return the DAG {@code %%dag} bound to the variable {@code name}, or else the one it defined named so */
    public static synchronized Optional<Dag> dag(String name) {
        Dag byVariable = DAGS.get(name);
        if (byVariable != null) {
            return Optional.of(byVariable);
        }
        return DAGS.values().stream().filter(dag -> dag.name().equals(name)).reduce((first, later) -> later);
    }

    /** @return the variable and DAG names {@code %%dag} defined in this session */
    static synchronized Set<String> dagNames() {
        Set<String> names = new TreeSet<>(DAGS.keySet());
        DAGS.values().forEach(dag -> names.add(dag.name()));
        return names;
    }

    /** Remembers a DAG {@code %%dag} bound to {@code variable}. */
    static synchronized void define(String variable, Dag dag) {
        DAGS.put(variable, dag);
    }

    /** Keeps {@code notice} for the next magic: said in a cell that had already ended, it reached nobody. */
    static synchronized void notice(String notice) {
        NOTICES.add(notice);
    }

    /** @return what the next magic should say first (notices kept by {@link #notice}), once */
    static synchronized Optional<String> takeNotice() {
        if (NOTICES.isEmpty()) {
            return Optional.empty();
        }
        String all = String.join("\n", NOTICES);
        NOTICES.clear();
        return Optional.of(all);
    }

    /** Closes the session's queue (the kernel shuts down, or the extension is unloaded). */
    public static synchronized void close() {
        stopDashboard();
        if (processes != null) {
            processes.close();
            processes = null;
        }
        if (workers != null) {
            workers.close();
            workers = null;
        }
        if (queue != null) {
            queue.close();
            queue = null;
            sharedStore = null;
        }
        NOTICES.clear();
    }
}
