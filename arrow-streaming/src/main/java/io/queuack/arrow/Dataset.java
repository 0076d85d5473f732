package io.queuack.arrow;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A handle to a written Arrow dataset: a small value (stored as a job's JSON result) that says where the
 * data is and what it holds. Read it with {@link #read()}.
 *
 * <pre>{@code
 * Dataset sales = Datasets.writer(dir.resolve("sales.arrow")).writeRecords(rows, Sale.class);
 * for (Table batch : sales.read().columns("region", "amount").tables()) { ... }
 * }</pre>
 *
 * @param path    the absolute path of the file
 * @param format  its IPC layout
 * @param schema  its columns
 * @param rows    how many rows it holds
 * @param batches how many record batches
 * @param bytes   the file's size
 */
public record Dataset(Path path, IpcFormat format, DatasetSchema schema, long rows, int batches, long bytes) {

    public Dataset {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(schema, "schema");
        if (rows < 0 || batches < 0 || bytes < 0) {
            throw new IllegalArgumentException("rows, batches and bytes cannot be negative");
        }
    }

    /** @return a reader over this dataset (lazy: nothing is read until you iterate) */
    public DatasetReader read() {
        return new DatasetReader(path);
    }

    @Override
    public String toString() {
        return "Dataset[" + path.getFileName() + ", " + rows + " rows in " + batches + " batches, " + bytes
                + " bytes, " + schema + "]";
    }
}
