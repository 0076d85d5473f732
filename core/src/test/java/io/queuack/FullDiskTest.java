package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queuack.error.StorageException;
import io.queuack.job.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue file on a real, small tmpfs that fills up: the enqueue that does not fit fails, every later call
 * says what happened and what to do (not DuckDB's "database has been invalidated"), closing works, and once
 * space is free the reopened file holds every job whose enqueue returned. Needs root (to mount); `.ci/run`
 * runs as root and checks that this test ran.
 */
class FullDiskTest {

    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = dir.resolve("small-disk");
        Files.createDirectories(mount);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString()) == 0,
                "FullDiskTest needs root to mount a tmpfs; skipped");
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", mount.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    @Test
    void aFullDiskIsAClearErrorAndNothingReportedIsLost() throws Exception {
        Path file = mount.resolve("jobs.duckdb");
        List<Long> stored = new ArrayList<>();
        String payload = "x".repeat(64 * 1024);
        StorageException full;
        Queuack queue = Queuack.open(file);
        try {
            queue.register("echo", String.class, (ctx, s) -> s.length());
            while (true) {
                try {
                    stored.add(queue.enqueue("echo", payload + stored.size()));
                } catch (StorageException e) {
                    full = e;
                    break;
                }
                assertTrue(stored.size() < 10_000, "a 6 MB disk filled up");
            }
            assertTrue(full.getMessage().contains("The disk is full"), full.getMessage());
            assertTrue(full.getMessage().contains("close this queue"), full.getMessage());
            StorageException later = assertThrows(StorageException.class, () -> queue.stats());
            assertTrue(later.getMessage().contains("cannot be used any more"), later.getMessage());
            assertTrue(!later.getMessage().contains("invalidated") || later.getMessage().contains("DuckDB stopped"),
                    later.getMessage());
        } finally {
            queue.close();
        }
        assertTrue(stored.size() > 10, "some jobs fit: " + stored.size());
        assertEquals(0, run("mount", "-o", "remount,size=64m", mount.toString()), "space freed");
        try (Queuack reopened = Queuack.open(file)) {
            for (long id : stored) {
                assertTrue(reopened.job(id).isPresent(), "job " + id + " was reported as stored");
            }
            reopened.register("echo", String.class, (ctx, s) -> s.length());
            long after = reopened.enqueue("echo", "room again");
            try (WorkerPool pool = reopened.workers().concurrency(2).start()) {
                assertEquals(JobStatus.SUCCEEDED, reopened.await(after, Waits.LONG).status());
            }
        }
    }
}
