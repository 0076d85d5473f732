package io.queuack.error;

import java.nio.file.Path;

/**
 * Another process holds the DuckDB queue file. DuckDB lets only one process open a database file
 * for writing.
 */
public class QueueLockedException extends QueuackException {

    private final transient Path file;
    private final String holder;

    public QueueLockedException(Path file, String holder, Throwable cause) {
        super("The queue file " + file + " is held by another process (" + holder + "). DuckDB allows one process"
                + " per database file. Close the queue in that process (Queuack#close, or stop the kernel/JVM),"
                + " or open a different file here. To run workers in several processes, use one process with a"
                + " worker pool per queue instead (PostgreSQL support for many hosts is planned).", cause);
        this.file = file;
        this.holder = holder;
    }

    /** @return the queue file that is locked */
    public Path file() {
        return file;
    }

    /** @return what DuckDB said about the holder, e.g. {@code "/usr/bin/java (PID 4242)"} */
    public String holder() {
        return holder;
    }
}
