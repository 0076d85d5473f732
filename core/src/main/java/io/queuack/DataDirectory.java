package io.queuack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a queue keeps files its tasks write (for example Arrow datasets): a folder next to a DuckDB
 * file, one chosen by the user, or a temporary folder for stores that keep nothing after close, which
 * is then deleted on close. Created on first use.
 */
final class DataDirectory {

    private final Path configured;
    private final boolean temporary;
    private Path created;

    private DataDirectory(Path configured, boolean temporary) {
        this.configured = configured;
        this.temporary = temporary;
    }

    static DataDirectory at(Path folder) {
        return new DataDirectory(folder.toAbsolutePath().normalize(), false);
    }

    /** A folder beside the DuckDB file: {@code jobs.duckdb} keeps its data in {@code jobs.duckdb.data}. */
    static DataDirectory besideFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return at(absolute.resolveSibling(absolute.getFileName() + ".data"));
    }

    static DataDirectory temporary() {
        return new DataDirectory(null, true);
    }

    synchronized Path path() {
        if (created == null) {
            try {
                created = temporary ? Files.createTempDirectory("queuack-data-") : Files.createDirectories(configured);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the queue's data directory "
                        + (configured == null ? "in " + System.getProperty("java.io.tmpdir") : configured)
                        + ": " + e.getMessage() + ". Choose a writable folder with Queuack.builder().dataDirectory(..)", e);
            }
        }
        return created;
    }

    /** Deletes a temporary folder and everything in it; keeps a chosen one. */
    synchronized void close() {
        if (!temporary || created == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(created)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the temporary data directory " + created + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String toString() {
        return created != null ? created.toString() : configured != null ? configured.toString() : "(temporary, not created yet)";
    }
}
