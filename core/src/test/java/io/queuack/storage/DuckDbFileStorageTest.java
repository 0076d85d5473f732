package io.queuack.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.JobStatus;
import io.queuack.storage.duckdb.DuckDbStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract for a DuckDB file, plus what only a file can do: keep jobs across reopening. */
class DuckDbFileStorageTest extends StorageContractTest {

    @TempDir
    Path dir;

    private int opened;

    @Override
    protected Storage openStorage() {
        return DuckDbStorage.open(dir.resolve("queue-" + opened++ + ".duckdb"));
    }

    @Test
    void jobsPausesAndIdsSurviveReopening() {
        Path file = dir.resolve("reopen.duckdb");
        long[] first;
        try (Storage store = DuckDbStorage.open(file)) {
            first = store.insert(List.of(batch("q", "t", 3))).get(0).ids();
            store.setPaused("q", true, T0);
        }
        try (Storage store = DuckDbStorage.open(file)) {
            assertEquals(JobStatus.PENDING, store.find(first[2]).orElseThrow().status());
            assertEquals(Set.of("q"), store.pausedQueues());
            long next = store.insert(List.of(batch("q", "t", 1))).get(0).ids()[0];
            assertTrue(next > first[2], "ids keep ascending after a reopen");
        }
    }
}
