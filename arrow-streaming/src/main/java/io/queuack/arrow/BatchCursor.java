package io.queuack.arrow;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Walks a dataset's batches, loading the chosen columns of one batch at a time into reused vectors, up to
 * a row limit. Closes itself after the last batch; one abandoned half-way (a loop left with {@code break})
 * is closed when it is garbage-collected.
 */
final class BatchCursor implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    /** What must be freed: kept apart from the cursor so that the cleaner does not keep the cursor alive. */
    private record Resources(IpcFile file, VectorSchemaRoot root, BufferAllocator allocator) implements Runnable {
        @Override
        public void run() {
            RuntimeException failure = null;
            for (AutoCloseable resource : new AutoCloseable[] {root, file, allocator}) {
                try {
                    resource.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new DatasetException("Closing a reader of " + file + " failed: " + e, e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private final IpcFile file;
    private final DatasetSchema schema;
    private final int[] fields;
    private final VectorSchemaRoot root;
    private final BufferAllocator allocator;
    private final Cleaner.Cleanable cleanable;
    private final long limit;
    private int nextBatch;
    private long rowsLoaded;
    private int rowsInBatch;

    BatchCursor(Path path, List<String> columns, long limit) {
        this.file = IpcFile.open(path);
        this.limit = limit;
        BufferAllocator reading = null;
        VectorSchemaRoot created = null;
        try {
            Schema all = file.arrowSchema();
            DatasetSchema full = ArrowTypes.fromArrow(all, path.toString());
            this.schema = columns.isEmpty() ? full : full.select(columns);
            this.fields = schema.names().stream().mapToInt(name -> indexOf(all, name)).toArray();
            List<Field> chosen = Arrays.stream(fields).mapToObj(i -> all.getFields().get(i)).toList();
            reading = ArrowRuntime.allocator("read " + path.getFileName());
            created = VectorSchemaRoot.create(new Schema(chosen), reading);
        } catch (RuntimeException e) {
            Closing.quietly(e, created, file, reading);
            throw e;
        }
        this.root = created;
        this.allocator = reading;
        this.cleanable = CLEANER.register(this, new Resources(file, root, allocator));
    }

    DatasetSchema schema() {
        return schema;
    }

    /** @return whether another batch was loaded; false (and closed) at the end or the limit */
    boolean next() {
        if (nextBatch >= file.batchCount() || rowsLoaded >= limit) {
            close();
            return false;
        }
        try {
            file.load(nextBatch++, fields, root, allocator);
        } catch (RuntimeException e) {
            Closing.quietly(e, this);
            throw e;
        }
        rowsInBatch = (int) Math.min(root.getRowCount(), limit - rowsLoaded);
        rowsLoaded += rowsInBatch;
        return true;
    }

    /** @return rows of the current batch to use (fewer than loaded when the limit cuts it) */
    int rows() {
        return rowsInBatch;
    }

    List<FieldVector> vectors() {
        return root.getFieldVectors();
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    private static int indexOf(Schema schema, String name) {
        List<Field> fields = schema.getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("column " + name + " vanished");
    }
}
