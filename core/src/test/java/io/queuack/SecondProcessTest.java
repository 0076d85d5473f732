package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.QueueLockedException;
import io.queuack.job.JobStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB lets one process hold a file; a second one gets an error that names the file, the holder and the fix. */
class SecondProcessTest {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsToldWhoHoldsTheFileAndWhatToDo() throws Exception {
        Path file = dir.resolve("shared.duckdb");
        try (Queuack queue = Queuack.open(file)) {
            queue.register("noop", ctx -> null);
            queue.enqueue("noop");
        }
        try (Child holder = Child.start("hold", file.toString())) {
            assertTrue(holder.readLine().startsWith("OPEN"));
            QueueLockedException locked = assertThrows(QueueLockedException.class, () -> Queuack.open(file));
            assertEquals(file.toAbsolutePath(), locked.file());
            assertTrue(locked.holder().contains("PID " + holder.pid()), locked.holder());
            assertTrue(locked.getMessage().contains(file.toAbsolutePath().toString()), locked.getMessage());
            assertTrue(locked.getMessage().contains("another process"), locked.getMessage());
            assertTrue(locked.getMessage().contains("Close the queue in that process"), locked.getMessage());
        }
        try (Queuack queue = Queuack.open(file)) {
            assertEquals(1, queue.stats("default").count(JobStatus.PENDING), "the refused open changed nothing");
        }
    }
}
