package io.queuack.arrow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes rows to an Arrow IPC file one batch at a time, so memory holds one batch however many rows come.
 * Rows are records (schema from their components), maps (schema declared or inferred from the first
 * batch), or columns filled straight into Arrow vectors. The file appears under its name only when
 * complete; if the rows' source throws, the partial file is removed and the exception passes through.
 *
 * <pre>{@code
 * record Sale(long id, String region, double amount) {}
 * Dataset sales = Datasets.writer(Path.of("sales.arrow"))
 *         .batchSize(100_000)
 *         .writeRecords(salesStream, Sale.class);
 * }</pre>
 */
public final class DatasetWriter {

    /** Rows per batch unless set: 65,536. */
    public static final int DEFAULT_BATCH_SIZE = 65_536;
    /** Largest batch: 16,777,216 rows. */
    public static final int MAX_BATCH_SIZE = 1 << 24;

    private final Path target;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private IpcFormat format = IpcFormat.FILE;
    private DatasetSchema schema;

    DatasetWriter(Path target) {
        Objects.requireNonNull(target, "target");
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " is a folder; give the path of the file to write, e.g. "
                    + target.resolve("data.arrow"));
        }
        this.target = target;
    }

    /** @param rows rows per batch, 1 to {@link #MAX_BATCH_SIZE}; memory holds one batch */
    public DatasetWriter batchSize(int rows) {
        this.batchSize = checkBatchSize(rows);
        return this;
    }

    static int checkBatchSize(int rows) {
        if (rows < 1 || rows > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + rows);
        }
        return rows;
    }

    /** @param format {@link IpcFormat#FILE} (the default, with a footer) or {@link IpcFormat#STREAM} */
    public DatasetWriter format(IpcFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        return this;
    }

    /**
     * @param schema the columns to write. Required for nothing: records bring their own and map rows are
     *               inferred, but declaring one fixes types and nullability (NOT NULL columns reject nulls).
     */
    public DatasetWriter schema(DatasetSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    // ---------------------------------------------------------------- records

    /** Writes records, in order (a parallel stream is made sequential); the stream is closed afterwards. */
    public <R> Dataset writeRecords(Stream<? extends R> rows, Class<R> type) {
        Objects.requireNonNull(rows, "rows");
        try (rows) {
            return records(consumer -> rows.sequential().forEach(consumer), type);
        }
    }

    /** Writes records. */
    public <R> Dataset writeRecords(Iterable<? extends R> rows, Class<R> type) {
        Objects.requireNonNull(rows, "rows");
        return records(consumer -> rows.forEach(consumer), type);
    }

    /** Writes records. */
    public <R> Dataset writeRecords(Iterator<? extends R> rows, Class<R> type) {
        Objects.requireNonNull(rows, "rows");
        return records(consumer -> rows.forEachRemaining(consumer), type);
    }

    private <R> Dataset records(Consumer<Consumer<? super R>> source, Class<R> type) {
        Objects.requireNonNull(type, "type");
        DatasetSchema columns = schema != null ? schema : DatasetSchema.ofRecord(type);
        RecordRows<R> sink = RecordRows.of(type, columns);
        BatchFile file = new BatchFile(target, format, columns, batchSize);
        sink.bind(file);
        return RowSink.drain(source::accept, sink, file);
    }

    // ---------------------------------------------------------------- maps

    /** Writes map rows; the stream is closed afterwards. */
    public Dataset writeMaps(Stream<? extends Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        try (rows) {
            return writeMaps(rows.iterator());
        }
    }

    /** Writes map rows. */
    public Dataset writeMaps(Iterable<? extends Map<String, ?>> rows) {
        return writeMaps(Objects.requireNonNull(rows, "rows").iterator());
    }

    /**
     * Writes map rows: one entry per column; a missing key or a null value is a null. Without a declared
     * schema, the first batch decides it (see {@link #schema(DatasetSchema)}).
     */
    public Dataset writeMaps(Iterator<? extends Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        Iterator<? extends Map<String, ?>> all = rows;
        DatasetSchema columns = schema;
        if (columns == null) {
            List<Map<String, ?>> first = new ArrayList<>();
            while (first.size() < batchSize && rows.hasNext()) {
                first.add(rows.next());
            }
            if (first.isEmpty()) {
                throw new DatasetException("No rows to infer a schema from; declare one with schema(..) to write an"
                        + " empty dataset");
            }
            columns = MapRows.infer(first.stream().filter(Objects::nonNull).toList());
            all = concat(first.iterator(), rows);
        }
        MapRows sink = new MapRows(columns);
        BatchFile file = new BatchFile(target, format, columns, batchSize);
        sink.bind(file);
        Iterator<? extends Map<String, ?>> remaining = all;
        return RowSink.drain(remaining::forEachRemaining, sink, file);
    }

    // ---------------------------------------------------------------- columns

    /**
     * Writes batches filled by {@code filler} straight into Arrow vectors, until it returns 0.
     *
     * @throws DatasetException wrapping the filler's checked exception; its unchecked ones pass through
     */
    public Dataset writeColumns(DatasetSchema schema, ColumnFiller filler) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(filler, "filler");
        BatchFile file = new BatchFile(target, format, schema, batchSize);
        try {
            Batch batch = new Batch(file.root(), batchSize);
            int filled;
            while ((filled = filler.fill(batch)) > 0) {
                if (filled > batchSize) {
                    throw new IllegalStateException("The filler reported " + filled + " rows, more than the batch's"
                            + " capacity of " + batchSize);
                }
                file.flush(filled);
            }
        } catch (RuntimeException | Error e) {
            file.abort(e);
            throw e;
        } catch (Exception e) {
            DatasetException failure = new DatasetException("Writing " + target + " failed after "
                    + file.rowsWritten() + " rows: " + e, e);
            file.abort(failure);
            throw failure;
        }
        return file.finish();
    }

    private static <T> Iterator<T> concat(Iterator<? extends T> first, Iterator<? extends T> rest) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || rest.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : rest.next();
            }
        };
    }
}
