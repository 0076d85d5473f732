package io.queuack.arrow;

import java.io.IOException;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow's reader interface over an {@link IpcFile}, for consumers that take an {@link ArrowReader} (DuckDB's
 * Arrow scan): every batch goes through the same checks as the dataset reader (headers inside the file,
 * checksums of the bytes), so SQL never reads a damaged batch as values.
 */
final class CheckedReader extends ArrowReader {

    private final IpcFile file;
    private final int[] allFields;
    private int next;

    CheckedReader(IpcFile file, BufferAllocator allocator) {
        super(allocator);
        this.file = file;
        this.allFields = IntStream.range(0, file.arrowSchema().getFields().size()).toArray();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        if (next >= file.batchCount()) {
            return false;
        }
        file.load(next++, allFields, getVectorSchemaRoot(), allocator);
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        file.close();
    }

    @Override
    protected Schema readSchema() {
        return file.arrowSchema();
    }
}
