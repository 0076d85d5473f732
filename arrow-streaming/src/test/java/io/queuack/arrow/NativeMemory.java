package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks on Arrow's native memory, which is counted for the whole JVM: memory an earlier test (or DuckDB's
 * own threads, finishing a scan) still holds is freed at its own pace. A check waits, bounded, for the count
 * to come back to what it was, instead of reading it once at an instant another thread may be freeing.
 */
final class NativeMemory {

    private NativeMemory() {
    }

    /** Asserts that native memory in use comes back to at most {@code before} within 10 seconds. */
    static void assertFreedTo(long before, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Datasets.nativeMemoryInUse() > before && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        long now = Datasets.nativeMemoryInUse();
        assertTrue(now <= before, what + ": " + now + " bytes in use, " + before + " before");
    }
}
