package io.queuack.arrow;

import io.queuack.job.JobContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * A dataset file being written, one batch in memory at a time. Data goes to {@code <name>.partial} and is
 * moved to its name only when complete, so a reader never sees a half-written file under the final name;
 * {@link #abort()} removes the partial file and frees the vectors.
 */
final class BatchFile {

    static final String PARTIAL_SUFFIX = ".partial";

    private final Path target;
    private final Path partial;
    private final IpcFormat format;
    private final DatasetSchema schema;
    private final int capacity;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final FileChannel channel;
    private final ArrowWriter writer;
    private final BatchChecksums checksums = new BatchChecksums();
    private final Map<String, String> footer = new HashMap<>();
    private final Optional<JobContext> job = JobContext.current();
    private long rows;
    private int batches;
    private boolean done;

    /** A file whose vectors this object creates, sized for {@code capacity} rows, and frees when done. */
    BatchFile(Path target, IpcFormat format, DatasetSchema schema, int capacity) {
        this(target, format, schema, capacity, null);
    }

    private BatchFile(Path target, IpcFormat format, DatasetSchema schema, int capacity, VectorSchemaRoot external) {
        this.target = target.toAbsolutePath().normalize();
        this.partial = this.target.resolveSibling(this.target.getFileName() + PARTIAL_SUFFIX);
        this.format = format;
        this.schema = schema;
        this.capacity = capacity;
        this.allocator = external == null ? ArrowRuntime.allocator("write " + this.target.getFileName()) : null;
        VectorSchemaRoot created = external;
        FileChannel opened = null;
        try {
            if (external == null) {
                created = VectorSchemaRoot.create(ArrowTypes.toArrow(schema), allocator);
                for (FieldVector vector : created.getFieldVectors()) {
                    vector.setInitialCapacity(capacity);
                }
                created.allocateNew();
            }
            Files.createDirectories(this.target.getParent());
            opened = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.writer = format == IpcFormat.FILE ? new ArrowFileWriter(created, null, opened, footer) {
                @Override
                protected ArrowBlock writeRecordBatch(ArrowRecordBatch batch) throws IOException {
                    checksums.add(batch);
                    return super.writeRecordBatch(batch);
                }
            } : new ArrowStreamWriter(created, null, opened) {
                @Override
                protected ArrowBlock writeRecordBatch(ArrowRecordBatch batch) throws IOException {
                    checksums.add(batch);
                    return super.writeRecordBatch(batch);
                }
            };
            this.writer.start();
        } catch (IOException | RuntimeException e) {
            Closing.quietly(e, opened);
            if (external == null) {
                Closing.quietly(e, created, allocator);
            }
            Closing.deleteQuietly(e, partial);
            throw e instanceof IOException io ? failure("cannot create", io) : (RuntimeException) e;
        }
        this.root = created;
        this.channel = opened;
    }

    /**
     * A file fed from vectors someone else fills and frees, such as an {@link org.apache.arrow.vector.ipc.ArrowReader}'s:
     * call {@link #writeLoaded()} after each batch is loaded into them.
     */
    static BatchFile over(Path target, IpcFormat format, VectorSchemaRoot external, String source) {
        return new BatchFile(target, format, ArrowTypes.fromArrow(external.getSchema(), source), 0, external);
    }

    VectorSchemaRoot root() {
        return root;
    }

    List<FieldVector> vectors() {
        return root.getFieldVectors();
    }

    int capacity() {
        return capacity;
    }

    DatasetSchema schema() {
        return schema;
    }

    long rowsWritten() {
        return rows;
    }

    /** Writes the first {@code count} rows of the vectors as one batch and empties them for the next. */
    void flush(int count) {
        if (count == 0) {
            return;
        }
        job.ifPresent(JobContext::throwIfCancelled);
        root.setRowCount(count);
        try {
            writer.writeBatch();
        } catch (IOException e) {
            throw failure("cannot write to", e);
        }
        rows += count;
        batches++;
        for (FieldVector vector : root.getFieldVectors()) {
            vector.reset();
        }
    }

    /** Writes the batch now loaded in the external vectors (see {@link #over}). */
    void writeLoaded() {
        job.ifPresent(JobContext::throwIfCancelled);
        try {
            writer.writeBatch();
        } catch (IOException e) {
            throw failure("cannot write to", e);
        }
        rows += root.getRowCount();
        batches++;
    }

    /** Ends the file (with the batches' checksums), moves it to its name and returns its handle. */
    Dataset finish() {
        try {
            footer.put(BatchChecksums.METADATA_KEY, checksums.encoded());
            writer.end();
            if (format == IpcFormat.STREAM) {
                ByteBuffer trailer = checksums.trailer();
                while (trailer.hasRemaining()) {
                    channel.write(trailer);
                }
            }
            writer.close();
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            abort(e);
            throw e instanceof IOException io ? failure("cannot finish", io) : (RuntimeException) e;
        }
        done = true;
        releaseVectors();
        try {
            return new Dataset(target, format, schema, rows, batches, Files.size(target));
        } catch (IOException e) {
            throw failure("cannot measure", e);
        }
    }

    /** Gives up: removes the partial file and frees the vectors. Called when the rows' source or a value failed. */
    void abort(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        Closing.quietly(cause, writer, channel);
        Closing.deleteQuietly(cause, partial);
        try {
            releaseVectors();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void releaseVectors() {
        if (allocator != null) {
            root.close();
            allocator.close();
        }
    }

    private DatasetException failure(String what, IOException e) {
        return new DatasetException("Dataset " + target + ": " + what + " " + partial + ": " + e.getMessage(), e);
    }
}
