package io.queuack.arrow;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.arrow.vector.FieldVector;
import tech.tablesaw.api.Table;

/**
 * Reads a dataset lazily: one batch in memory at a time, only the columns asked for, up to a row limit.
 * Schema, row count and batch count come from the file's headers without reading data. Every
 * {@code for} loop over {@link #tables()} or {@link #rows(Class)} reads the file afresh.
 *
 * <pre>{@code
 * DatasetReader sales = Datasets.read(Path.of("sales.arrow")).columns("region", "amount");
 * for (Table batch : sales.tables()) {
 *     total += batch.doubleColumn("amount").sum();
 * }
 * Table first100 = sales.limit(100).toTable();
 * }</pre>
 */
public final class DatasetReader {

    private final Path path;
    private List<String> columns = List.of();
    private long limit = Long.MAX_VALUE;

    DatasetReader(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** @param names the columns to read, in this order; all of them by default */
    public DatasetReader columns(String... names) {
        List<String> chosen = List.of(names);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("Name at least one column (or do not call columns(..) to read all)");
        }
        if (chosen.stream().distinct().count() != chosen.size()) {
            throw new IllegalArgumentException("A column is named twice in " + chosen);
        }
        this.columns = chosen;
        return this;
    }

    /** @param rows read at most this many rows (0 or more) */
    public DatasetReader limit(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("limit cannot be negative, was " + rows);
        }
        this.limit = rows;
        return this;
    }

    /** @return the columns that will be read (all, or those chosen), from the file's header */
    public DatasetSchema schema() {
        try (IpcFile file = IpcFile.open(path)) {
            DatasetSchema all = ArrowTypes.fromArrow(file.arrowSchema(), path.toString());
            return columns.isEmpty() ? all : all.select(columns);
        }
    }

    /** @return rows in the file (at most the limit), counted from batch headers without reading data */
    public long rowCount() {
        try (IpcFile file = IpcFile.open(path)) {
            return Math.min(file.rowCount(), limit);
        }
    }

    /** @return record batches in the file */
    public int batchCount() {
        try (IpcFile file = IpcFile.open(path)) {
            return file.batchCount();
        }
    }

    /**
     * @return the dataset as Tablesaw tables, one per batch, read as you iterate. Each table is a copy that
     *         stays valid after the loop moves on.
     */
    public Iterable<Table> tables() {
        String name = tableName();
        return () -> new Batches<>(new BatchCursor(path, columns, limit)) {
            @Override
            Table item(BatchCursor cursor, int ignored) {
                return table(name, cursor);
            }

            @Override
            int itemsIn(BatchCursor cursor) {
                return 1;
            }
        };
    }

    /**
     * @param type a record whose components name the columns to read (extra columns are skipped)
     * @return one record per row, built as you iterate
     */
    public <R> Iterable<R> rows(Class<R> type) {
        Objects.requireNonNull(type, "type");
        List<String> wanted = RecordMapper.columnsOf(type);
        if (!columns.isEmpty() && !columns.containsAll(wanted)) {
            throw new IllegalArgumentException("Record " + type.getSimpleName() + " needs columns " + wanted
                    + ", but only " + columns + " were chosen");
        }
        RecordMapper<R> mapper = new RecordMapper<>(type, schema());
        return () -> new Batches<>(new BatchCursor(path, wanted, limit)) {
            private long index;
            private RecordMapper.RowReader<R> reader;

            @Override
            R item(BatchCursor cursor, int row) {
                if (reader == null) {
                    reader = mapper.bind(cursor.vectors());
                }
                return reader.read(row, index++);
            }

            @Override
            int itemsIn(BatchCursor cursor) {
                return cursor.rows();
            }
        };
    }

    /**
     * @param type a record whose components name the columns to read
     * @return the rows as a lazy stream; close it (try-with-resources) if you stop before the end
     */
    public <R> Stream<R> stream(Class<R> type) {
        Batches<R> rows = (Batches<R>) rows(type).iterator();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(rows::close);
    }

    /** @return every chosen row in one Tablesaw table (mind the memory: this is the one call that holds it all) */
    public Table toTable() {
        try (BatchCursor cursor = new BatchCursor(path, columns, limit)) {
            Table all = table(tableName(), cursor);
            while (cursor.next()) {
                all.append(table(all.name(), cursor));
            }
            return all;
        }
    }

    /** @return the cursor's current batch as a table (empty before the first batch) */
    private static Table table(String name, BatchCursor cursor) {
        return table(name, cursor.schema(), cursor.vectors(), cursor.rows());
    }

    /** @return a table holding a copy of the first {@code rows} values of each vector */
    static Table table(String name, DatasetSchema schema, List<? extends FieldVector> vectors, int rows) {
        Table table = Table.create(name);
        List<Column> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            table.addColumns(Codec.of(columns.get(i)).toTablesaw(vectors.get(i), rows));
        }
        return table;
    }

    private String tableName() {
        String file = path.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** Items (tables or rows) drawn from a cursor, batch after batch. */
    private abstract static class Batches<T> implements Iterator<T>, AutoCloseable {
        private final BatchCursor cursor;
        private int position;
        private int available;
        private boolean finished;

        Batches(BatchCursor cursor) {
            this.cursor = cursor;
        }

        abstract T item(BatchCursor cursor, int index);

        abstract int itemsIn(BatchCursor cursor);

        @Override
        public boolean hasNext() {
            while (!finished && position >= available) {
                if (cursor.next()) {
                    position = 0;
                    available = itemsIn(cursor);
                } else {
                    finished = true;
                }
            }
            return !finished;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return item(cursor, position++);
        }

        @Override
        public void close() {
            finished = true;
            cursor.close();
        }
    }
}
