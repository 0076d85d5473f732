package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.dag.Dag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where tasks keep their files: beside the DuckDB file, a chosen folder, or a temporary one. */
class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aDuckDbQueueKeepsItsDataBesideItsFileAndAfterClose() throws IOException {
        Path data;
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            data = queue.dataDirectory();
            Files.writeString(data.resolve("kept.txt"), "x");
        }
        assertEquals(dir.resolve("jobs.duckdb.data").toAbsolutePath(), data);
        assertTrue(Files.exists(data.resolve("kept.txt")));
    }

    @Test
    void aMemoryQueueUsesATemporaryFolderDeletedOnClose() throws IOException {
        Path data;
        try (Queuack queue = Queuack.inMemory()) {
            data = queue.dataDirectory();
            Files.createDirectories(data.resolve("runs/1"));
            Files.writeString(data.resolve("runs/1/out.txt"), "x");
        }
        assertFalse(Files.exists(data));
    }

    @Test
    void aChosenFolderIsUsedAndKept() {
        Path chosen = dir.resolve("outputs");
        try (Queuack queue = Queuack.builder().inMemory().dataDirectory(chosen).open()) {
            assertEquals(chosen.toAbsolutePath(), queue.dataDirectory());
        }
        assertTrue(Files.isDirectory(chosen));
    }

    @Test
    void tasksSeeTheQueueFolderAndTheirRunFolder() {
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            DagRun run = queue.run(Dag.builder("files")
                    .task("where", ctx -> ctx.dataDirectory() + "|" + ctx.runDirectory()).build());
            queue.register("plain", ctx -> ctx.dataDirectory().toString());
            long id = queue.enqueue("plain");
            try (WorkerPool pool = queue.workers().start()) {
                queue.await(id, Duration.ofSeconds(10));
            }
            Path data = queue.dataDirectory();
            assertEquals(data + "|" + data.resolve("runs").resolve(Long.toString(run.id())),
                    run.result("where", String.class));
            assertTrue(Files.isDirectory(data.resolve("runs").resolve(Long.toString(run.id()))));
            assertEquals(data.toString(), queue.result(id, String.class));
        }
    }
}
