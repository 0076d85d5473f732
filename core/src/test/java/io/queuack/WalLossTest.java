package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.LostCommitsException;
import io.queuack.error.StorageException;
import io.queuack.job.QueueStats;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB queue keeps its newest commits in its write-ahead log ({@code .wal}) until a checkpoint. Copies
 * of a live queue, and a queue whose log was lost or damaged after a kill (a real child JVM), either hold
 * every committed job or fail loudly.
 */
class WalLossTest {

    @TempDir
    Path dir;

    private static Path wal(Path file) {
        return file.resolveSibling(file.getFileName() + ".wal");
    }

    private static long jobCount(Path file) {
        try (Queuack queue = Queuack.open(file)) {
            return queue.stats().stream().mapToLong(QueueStats::total).sum();
        }
    }

    @Test
    void aCopyOfAnOpenQueueFileHoldsEveryJobOnceWritesPauseAndABackupAlways() throws IOException {
        Path file = dir.resolve("live.duckdb");
        try (Queuack queue = Queuack.open(file)) {
            queue.register("echo", Integer.class, (ctx, n) -> n);
            queue.enqueueAll("echo", IntStream.range(0, 3000).boxed().toList());
            Path backup = dir.resolve("backups/first.duckdb");
            queue.backup(backup);
            assertEquals(3000, jobCount(backup), "a backup taken at once holds every job");
            IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> queue.backup(backup));
            assertTrue(exists.getMessage().contains("exists"), exists.getMessage());

            long one = queue.enqueue("echo", 3000);
            Waits.until("the file was checkpointed after writes paused",
                    () -> !Files.exists(wal(file)) || sizeOf(wal(file)) == 0);
            Path copy = dir.resolve("copy.duckdb");
            Files.copy(file, copy);
            assertEquals(3001, jobCount(copy), "a plain copy of the quiet open file holds every job");
            assertTrue(queue.job(one).isPresent());
        }
    }

    @Test
    void anInMemoryDuckDbQueueIsBackedUpToAFile() {
        Path backup = dir.resolve("memory-backup.duckdb");
        try (Queuack queue = Queuack.builder().duckdbInMemory().open()) {
            queue.register("echo", Integer.class, (ctx, n) -> n);
            queue.enqueueAll("echo", List.of(1, 2, 3));
            queue.pause("default");
            queue.backup(backup);
        }
        try (Queuack restored = Queuack.open(backup)) {
            assertEquals(3, restored.stats("default").total());
            assertTrue(restored.isPaused("default"));
        }
        try (Queuack memory = Queuack.inMemory()) {
            assertThrows(UnsupportedOperationException.class, () -> memory.backup(dir.resolve("no.duckdb")));
        }
    }

    @Test
    void aLostOrDamagedWriteAheadLogAfterAKillIsALoudError() throws Exception {
        Path file = dir.resolve("killed.duckdb");
        List<Long> ids = enqueueThenKill(file, 3000);
        assertTrue(Files.size(wal(file)) > 0, "the newest commits are in the .wal");
        Path pristine = dir.resolve("pristine");
        Files.createDirectories(pristine);
        for (String suffix : new String[] {"", ".wal", ".commits"}) {
            Files.copy(dir.resolve("killed.duckdb" + suffix), pristine.resolve("killed.duckdb" + suffix));
        }

        for (int quarter = 1; quarter <= 3; quarter++) {
            Path damaged = dir.resolve("damaged-" + quarter);
            copyAll(pristine, damaged);
            try (RandomAccessFile log = new RandomAccessFile(wal(damaged.resolve("killed.duckdb")).toFile(), "rw")) {
                log.seek(log.length() * quarter / 4);
                log.write(new byte[256]);
            }
            try (Queuack opened = Queuack.open(damaged.resolve("killed.duckdb"))) {
                for (long id : ids) {
                    assertTrue(opened.job(id).isPresent(), "a damaged .wal opened without job " + id);
                }
            } catch (StorageException broken) {
                assertTrue(broken.getMessage().contains("killed.duckdb.wal"), broken.getMessage());
                assertTrue(broken.getMessage().contains("acceptLostCommits"), broken.getMessage());
            }
        }

        Path cut = dir.resolve("cut");
        copyAll(pristine, cut);
        try (RandomAccessFile log = new RandomAccessFile(wal(cut.resolve("killed.duckdb")).toFile(), "rw")) {
            log.setLength(log.length() / 2);
        }
        LostCommitsException cutShort = assertThrows(LostCommitsException.class,
                () -> jobCount(cut.resolve("killed.duckdb")));
        assertTrue(cutShort.getMessage().contains("is missing changes that were reported as stored"),
                cutShort.getMessage());

        Path missing = dir.resolve("missing");
        copyAll(pristine, missing);
        Files.delete(wal(missing.resolve("killed.duckdb")));
        LostCommitsException lost = assertThrows(LostCommitsException.class,
                () -> jobCount(missing.resolve("killed.duckdb")));
        assertTrue(lost.getMessage().contains("killed.duckdb.wal was deleted or damaged"), lost.getMessage());
        assertTrue(lost.missing().startsWith("jobs "), lost.missing());
        try (Queuack anyway = Queuack.builder().duckdb(missing.resolve("killed.duckdb")).acceptLostCommits().open()) {
            assertTrue(anyway.stats().stream().mapToLong(QueueStats::total).sum() < ids.size());
        }
        assertEquals(jobCount(missing.resolve("killed.duckdb")), jobCount(missing.resolve("killed.duckdb")),
                "once accepted, the file opens without complaint");

        try (Queuack whole = Queuack.open(file)) {
            for (long id : ids) {
                assertTrue(whole.job(id).isPresent(), "job " + id + " was reported as stored before the kill");
            }
        }
    }

    private List<Long> enqueueThenKill(Path file, int atLeast) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Child child = Child.start("enqueue", file.toString())) {
            while (ids.size() < atLeast) {
                String line = child.readLine();
                assertFalse(line == null, "the child ended early");
                ids.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
            }
            child.kill();
        }
        return ids;
    }

    private static void copyAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(source.getFileName()));
            }
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }
}
