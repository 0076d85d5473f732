package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams about ten times more data than the heap through generator, Arrow file and lazy Tablesaw reading,
 * in a child JVM started with {@code -Xmx64m}: it only finishes if memory holds one batch, not the dataset.
 */
class ConstantMemoryTest {

    static final long ROWS = 12_000_000;

    @TempDir
    Path dir;

    @Test
    void aDatasetTenTimesTheHeapStreamsThroughA64MegabyteJvm() throws Exception {
        JavaChild.Outcome outcome = JavaChild.run(List.of("-Xmx64m", ArrowRuntime.ADD_OPENS),
                SmallHeapPipeline.class, dir.resolve("jobs.duckdb").toString(), Long.toString(ROWS));

        assertEquals(0, outcome.exitCode(), outcome.output());
        Map<String, String> printed = new HashMap<>();
        outcome.output().lines().filter(line -> line.matches("[A-Z]+ .*"))
                .forEach(line -> printed.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
        assertEquals(Long.toString(ROWS), printed.get("ROWS"));
        double expectedSum = 0.25 * ROWS * (ROWS - 1) / 2;
        long sevens = (ROWS + 6) / 7;
        assertEquals(expectedSum + "/" + sevens, printed.get("RESULT"));
        long maxHeap = Long.parseLong(printed.get("MAXHEAP"));
        long fileBytes = Long.parseLong(printed.get("BYTES"));
        assertTrue(fileBytes > 4 * maxHeap, "the data (" + fileBytes + " bytes) is far larger than the heap ("
                + maxHeap + ")");
        long nativePeak = Long.parseLong(printed.get("NATIVEPEAK"));
        assertTrue(nativePeak < 16L * 1024 * 1024, "Arrow held at most a few batches at once, not the dataset: "
                + nativePeak + " bytes");
    }
}
