package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a notebook session keeps outside its JShell variables, which JJava resets when a method or class they
 * depend on is redefined: the session's default queue (a DuckDB file named by the environment variable
 * {@value #DATABASE_VARIABLE}, or one opened with {@code %queue open <file>}, or else DuckDB in memory, opened on
 * first use), the DAGs defined by {@code %%dag}, and what the next magic should tell about a run an interrupt
 * stopped. One per kernel.
 */
public final class Session {

    /** Environment variable naming the session's DuckDB file. */
    public static final String DATABASE_VARIABLE = "QUEUACK_DB";

    private static final Map<String, Dag> DAGS = new LinkedHashMap<>();
    private static final List<String> NOTICES = new ArrayList<>();
    private static Queuack queue;
    private static WorkerPool workers;

    private Session() {
    }

    /** @return the session's queue, opened on first use */
    public static synchronized Queuack queue() {
        if (queue == null || queue.isClosed()) {
            String file = System.getenv(DATABASE_VARIABLE);
            queue = file == null || file.isBlank() ? Queuack.builder().duckdbInMemory().open()
                    : Queuack.open(Path.of(file));
        }
        return queue;
    }

    /** Makes a DuckDB file the session's queue, closing the previous one. */
    public static synchronized Queuack open(Path file) {
        Objects.requireNonNull(file, "file");
        close();
        queue = Queuack.open(file);
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
        return queue;
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
        if (workers != null) {
            workers.close();
            workers = null;
        }
        if (queue != null) {
            queue.close();
            queue = null;
        }
        NOTICES.clear();
    }
}
