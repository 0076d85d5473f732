package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The notebook session's default queue, which the magics use: a DuckDB file named by the environment
 * variable {@value #DATABASE_VARIABLE}, or one opened with {@code %queue open <file>}, or else DuckDB in
 * memory. Opened on first use; one per kernel.
 */
public final class Session {

    /** Environment variable naming the session's DuckDB file. */
    public static final String DATABASE_VARIABLE = "QUEUACK_DB";

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
    }
}
