package io.queuack.arrow;

import java.util.Iterator;

/** Puts rows of one kind (records, maps) into a {@link BatchFile}'s vectors. */
interface RowSink<T> {

    /**
     * Stores {@code row} in slot {@code slot} of the current batch.
     *
     * @param index the row's position in the whole dataset, for error messages
     * @throws DatasetException if a value does not fit its column
     */
    void put(int slot, T row, long index);

    /** Feeds every row through {@code sink} into {@code file}, one batch at a time, and finishes the file. */
    static <T> Dataset drain(Iterator<? extends T> rows, RowSink<T> sink, BatchFile file) {
        try {
            int capacity = file.capacity();
            int slot = 0;
            long index = 0;
            while (rows.hasNext()) {
                T row = rows.next();
                if (row == null) {
                    throw new DatasetException("Row " + index + " is null; a dataset's rows cannot be null (columns can)");
                }
                sink.put(slot, row, index++);
                if (++slot == capacity) {
                    file.flush(slot);
                    slot = 0;
                }
            }
            file.flush(slot);
        } catch (RuntimeException | Error e) {
            file.abort(e);
            throw e;
        }
        return file.finish();
    }

    static DatasetException mismatch(long index, Column column, String problem) {
        return new DatasetException("Row " + index + ", column '" + column.name() + "': " + problem);
    }
}
