package io.queuack.arrow;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point of the streaming module: write rows as an Arrow dataset, read one back.
 *
 * <pre>{@code
 * Dataset sales = Datasets.writer(Path.of("sales.arrow")).writeRecords(rows, Sale.class);
 * Table firstBatch = Datasets.read(sales).tables().iterator().next();
 * }</pre>
 *
 * <p>The JVM needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} (Arrow's memory access); without
 * it the first call throws {@link ArrowSetupException} saying where to add it.
 */
public final class Datasets {

    private Datasets() {
    }

    /** @return a writer of a dataset at {@code file} (replaced if it exists; its folder is created) */
    public static DatasetWriter writer(Path file) {
        ArrowRuntime.checkOpens();
        return new DatasetWriter(file);
    }

    /** @return a lazy reader of the Arrow IPC file at {@code file} (file or stream format) */
    public static DatasetReader read(Path file) {
        ArrowRuntime.checkOpens();
        return new DatasetReader(Objects.requireNonNull(file, "file"));
    }

    /** @return bytes of native (off-heap) memory Arrow vectors hold now, in this JVM */
    public static long nativeMemoryInUse() {
        return ArrowRuntime.bytesInUse();
    }

    /** @return the most native memory Arrow vectors held at once in this JVM: about one batch per open writer or reader */
    public static long nativeMemoryPeak() {
        return ArrowRuntime.peakBytes();
    }

    /** @return a lazy reader of {@code dataset} */
    public static DatasetReader read(Dataset dataset) {
        return read(Objects.requireNonNull(dataset, "dataset").path());
    }
}
