package io.queuack.arrow;

import java.util.function.Consumer;

/** Puts rows of one kind (records, maps) into a {@link BatchFile}'s vectors. */
interface RowSink<T> {

    /**
     * Stores {@code row} in slot {@code slot} of the current batch.
     *
     * @param index the row's position in the whole dataset, for error messages
     * @throws DatasetException if a value does not fit its column
     */
    void put(int slot, T row, long index);

    /** Called when a batch of {@code rows} rows is complete, before it is written. */
    default void completeBatch(int rows) {
    }

    /** Called after a batch was written and the vectors emptied. */
    default void batchWritten() {
    }

    /**
     * Feeds every row {@code source} pushes through {@code sink} into {@code file}, one batch at a time, and
     * finishes the file; on any failure removes the partial file and rethrows.
     */
    static <T> Dataset drain(Consumer<Consumer<T>> source, RowSink<T> sink, BatchFile file) {
        Drain<T> drain = new Drain<>(sink, file);
        try {
            source.accept(drain);
            drain.flushRest();
        } catch (RuntimeException | Error e) {
            file.abort(e);
            throw e;
        }
        return file.finish();
    }

    /** Counts rows into slots and flushes full batches. */
    final class Drain<T> implements Consumer<T> {
        private final RowSink<T> sink;
        private final BatchFile file;
        private final int capacity;
        private int slot;
        private long index;

        Drain(RowSink<T> sink, BatchFile file) {
            this.sink = sink;
            this.file = file;
            this.capacity = file.capacity();
        }

        /** Writes the last, partly filled batch. */
        void flushRest() {
            if (slot > 0) {
                flush();
            }
        }

        private void flush() {
            sink.completeBatch(slot);
            file.flush(slot);
            sink.batchWritten();
            slot = 0;
        }

        @Override
        public void accept(T row) {
            if (row == null) {
                throw new DatasetException("Row " + index + " is null; a dataset's rows cannot be null (columns can)");
            }
            sink.put(slot, row, index++);
            if (++slot == capacity) {
                flush();
            }
        }
    }

    static DatasetException mismatch(long index, Column column, String problem) {
        return new DatasetException("Row " + index + ", column '" + column.name() + "': " + problem);
    }
}
