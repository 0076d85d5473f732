package io.queuack.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow IPC file (file or stream format) opened for reading. Opening reads only the schema and the
 * batches' headers (from the footer's index, or by skipping from header to header), so the row count is
 * known without reading data; {@link #load} then reads just the byte ranges of the columns asked for, and
 * checks each buffer against the checksum written with it ({@link BatchChecksums}) when the file has them.
 */
final class IpcFile implements AutoCloseable {

    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    /** Where one record batch's body starts, and its header. */
    private record Location(long bodyStart, RecordBatch header) {
    }

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    /** Where the Arrow data ends: the file's size, less a stream's checksum trailer. */
    private final long size;
    private final IpcFormat format;
    private final Schema schema;
    private final List<Location> batches = new ArrayList<>();
    private final int[] nodeStart;
    private final int[] bufferStart;
    private final int[] bufferCount;
    private int[] checksums;
    private int buffersPerBatch;

    private IpcFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileSize = channel.size();
        this.format = startsWithMagic() ? IpcFormat.FILE : IpcFormat.STREAM;
        this.size = format == IpcFormat.STREAM ? readTrailer() : fileSize;
        this.schema = format == IpcFormat.FILE ? readFooter() : scanStream();
        int fields = schema.getFields().size();
        nodeStart = new int[fields];
        bufferStart = new int[fields];
        bufferCount = new int[fields];
        int nodes = 0;
        int buffers = 0;
        for (int i = 0; i < fields; i++) {
            Field field = schema.getFields().get(i);
            nodeStart[i] = nodes++;
            bufferStart[i] = buffers;
            bufferCount[i] = TypeLayout.getTypeBufferCount(field.getType());
            buffers += bufferCount[i];
        }
        buffersPerBatch = buffers;
        if (checksums != null && checksums.length != (long) buffers * batches.size()) {
            throw new DatasetException(path + " is damaged: its checksum table does not fit its batches. Write it again");
        }
    }

    static IpcFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path);
        } catch (NoSuchFileException e) {
            Path partial = path.resolveSibling(path.getFileName() + BatchFile.PARTIAL_SUFFIX);
            throw new DatasetException("No dataset at " + path.toAbsolutePath() + (Files.exists(partial)
                    ? "; " + partial.getFileName() + " exists, left by a writer that did not finish (it was stopped"
                    + " or failed): write the dataset again" : ""), e);
        } catch (IOException e) {
            throw new DatasetException("Cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            return new IpcFile(path, channel);
        } catch (IOException | RuntimeException e) {
            DatasetException failure = e instanceof DatasetException known ? known
                    : new DatasetException(path + " is not a readable Arrow IPC file (" + e + "). It may be"
                    + " corrupt or cut off, or not Arrow at all: write it again", e);
            Closing.quietly(failure, channel);
            throw failure;
        }
    }

    IpcFormat format() {
        return format;
    }

    Schema arrowSchema() {
        return schema;
    }

    long fileSize() {
        return fileSize;
    }

    int batchCount() {
        return batches.size();
    }

    long rowCount() {
        long rows = 0;
        for (Location batch : batches) {
            rows += batch.header().length();
        }
        return rows;
    }

    int batchRows(int batch) {
        return Math.toIntExact(batches.get(batch).header().length());
    }

    /**
     * Loads batch {@code batch} into {@code root}, reading only the fields listed in {@code fields} (indexes into
     * the file's schema, in the order of {@code root}'s vectors).
     */
    void load(int batch, int[] fields, VectorSchemaRoot root, BufferAllocator allocator) {
        Location location = batches.get(batch);
        RecordBatch header = location.header();
        List<ArrowFieldNode> nodes = new ArrayList<>(fields.length);
        List<ArrowBuf> buffers = new ArrayList<>();
        List<ArrowBuf> regions = new ArrayList<>(fields.length);
        try {
            for (int field : fields) {
                FieldNode node = header.nodes(nodeStart[field]);
                nodes.add(new ArrowFieldNode(node.length(), node.nullCount()));
                int first = bufferStart[field];
                int last = first + bufferCount[field] - 1;
                long from = header.buffers(first).offset();
                long to = header.buffers(last).offset() + header.buffers(last).length();
                if (location.bodyStart() + to > size || from > to) {
                    throw cutOff("batch " + batch + " reaches past the end of the file");
                }
                ArrowBuf region = allocator.buffer(to - from);
                regions.add(region);
                channel.position(location.bodyStart() + from);
                long read = new ReadChannel(channel).readFully(region, to - from);
                if (read != to - from) {
                    throw cutOff("batch " + batch + " ends early");
                }
                for (int b = first; b <= last; b++) {
                    Buffer buffer = header.buffers(b);
                    verify(batch, field, b, region, buffer.offset() - from, buffer.length());
                    buffers.add(region.slice(buffer.offset() - from, buffer.length()));
                }
            }
            try (ArrowRecordBatch loaded = new ArrowRecordBatch(Math.toIntExact(header.length()), nodes, buffers)) {
                new VectorLoader(root).load(loaded);
            }
        } catch (IOException e) {
            throw new DatasetException("Cannot read " + path + ": " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException e) {
            throw new DatasetException(path + " is damaged: the header of batch " + batch + " cannot be read (" + e
                    + "). Write the dataset again from its source", e);
        } finally {
            regions.forEach(ArrowBuf::close);
        }
    }

    /** Checks one buffer as read against the checksum written with it. */
    private void verify(int batch, int field, int buffer, ArrowBuf region, long offset, long length) {
        if (checksums == null) {
            return;
        }
        if (BatchChecksums.of(region, offset, length) != checksums[batch * buffersPerBatch + buffer]) {
            throw new DatasetException(path + " is damaged: batch " + batch + " of column '"
                    + schema.getFields().get(field).getName() + "' does not match the checksum written with it"
                    + " (CRC32C); its bytes changed after it was written. Write the dataset again from its source");
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new DatasetException("Cannot close " + path + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- opening

    private boolean startsWithMagic() throws IOException {
        if (fileSize < MAGIC.length) {
            return false;
        }
        return Arrays.equals(readAt(0, MAGIC.length).array(), MAGIC);
    }

    private Schema readFooter() throws IOException {
        ByteBuffer tail = readAt(size - MAGIC.length - 4L, MAGIC.length + 4);
        byte[] magic = new byte[MAGIC.length];
        tail.position(4);
        tail.get(magic);
        if (size < 2L * MAGIC.length + 4 || !Arrays.equals(magic, MAGIC)) {
            throw cutOff("it starts like an Arrow file but has no footer");
        }
        int footerLength = tail.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        long footerStart = size - MAGIC.length - 4L - footerLength;
        if (footerLength <= 0 || footerStart < MAGIC.length) {
            throw cutOff("its footer length is invalid");
        }
        ArrowFooter footer = new ArrowFooter(Footer.getRootAsFooter(readAt(footerStart, footerLength)));
        String written = footer.getMetaData() == null ? null : footer.getMetaData().get(BatchChecksums.METADATA_KEY);
        if (written != null) {
            try {
                checksums = BatchChecksums.decode(written);
            } catch (IllegalArgumentException e) {
                throw cutOff("its checksum table is damaged");
            }
        }
        if (!footer.getDictionaries().isEmpty()) {
            throw new DatasetException(path + " has dictionary-encoded columns, which queuack-arrow does not read");
        }
        for (ArrowBlock block : footer.getRecordBatches()) {
            if (block.getOffset() < MAGIC.length || block.getMetadataLength() <= 0 || block.getBodyLength() < 0
                    || block.getOffset() + block.getMetadataLength() + block.getBodyLength() > footerStart) {
                throw cutOff("its index points outside the file");
            }
            if (!checkMessageAt(block.getOffset())) {
                throw cutOff("a batch header is damaged");
            }
            channel.position(block.getOffset());
            MessageMetadataResult message = MessageSerializer.readMessage(new ReadChannel(channel));
            if (message == null || message.headerType() != MessageHeader.RecordBatch) {
                throw cutOff("its index points at something that is not a record batch");
            }
            addBatch(block.getOffset() + block.getMetadataLength(), message);
        }
        return footer.getSchema();
    }

    /** @return where a stream's Arrow data ends: before its checksum trailer, if it has one (then read) */
    private long readTrailer() throws IOException {
        int tail = BatchChecksums.trailerTail();
        if (fileSize < tail || !BatchChecksums.endsTrailer(readAt(fileSize - tail, tail))) {
            return fileSize;
        }
        long count = readAt(fileSize - tail, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        long start = fileSize - tail - count * 4;
        if (count < 0 || start < 0) {
            throw cutOff("its checksum trailer is damaged");
        }
        ByteBuffer values = readAt(start, (int) (count * 4)).order(ByteOrder.LITTLE_ENDIAN);
        checksums = new int[(int) count];
        values.asIntBuffer().get(checksums);
        return start;
    }

    private Schema scanStream() throws IOException {
        if (!checkMessageAt(0)) {
            boolean arrowStart = size >= 4
                    && readAt(0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == MessageSerializer.IPC_CONTINUATION_TOKEN;
            throw arrowStart ? cutOff("its schema is cut off") : notArrow();
        }
        channel.position(0);
        MessageMetadataResult first = MessageSerializer.readMessage(new ReadChannel(channel));
        if (first == null || first.headerType() != MessageHeader.Schema) {
            throw notArrow();
        }
        Schema streamSchema = MessageSerializer.deserializeSchema(first);
        while (true) {
            long start = channel.position();
            if (!checkMessageAt(start)) {
                throw cutOff("a message header is damaged or cut off");
            }
            MessageMetadataResult message = MessageSerializer.readMessage(new ReadChannel(channel));
            if (message == null) {
                if (!endsWithEndMarker(start)) {
                    throw cutOff("the stream has no end marker");
                }
                return streamSchema;
            }
            if (message.headerType() == MessageHeader.DictionaryBatch) {
                throw new DatasetException(path + " has dictionary-encoded columns, which queuack-arrow does not read");
            }
            if (message.headerType() != MessageHeader.RecordBatch) {
                throw cutOff("it holds an unexpected message type " + message.headerType());
            }
            long bodyStart = channel.position();
            if (bodyStart + message.getMessageBodyLength() > size) {
                throw cutOff("its last batch ends early");
            }
            addBatch(bodyStart, message);
            channel.position(bodyStart + message.getMessageBodyLength());
        }
    }

    private void addBatch(long bodyStart, MessageMetadataResult message) {
        RecordBatch header = (RecordBatch) message.getMessage().header(new RecordBatch());
        if (header.compression() != null) {
            throw new DatasetException(path + " is compressed (LZ4/ZSTD), which queuack-arrow does not read yet;"
                    + " write it uncompressed");
        }
        batches.add(new Location(bodyStart, header));
    }

    /**
     * Checks that a message header at {@code position} announces a length that fits in the file, before Arrow
     * allocates a buffer of that length (garbage could announce gigabytes).
     *
     * @return true if a message (or the end marker, or the end of the file) is there
     */
    private boolean checkMessageAt(long position) throws IOException {
        if (size - position < 8) {
            return true;
        }
        ByteBuffer prefix = readAt(position, 8).order(ByteOrder.LITTLE_ENDIAN);
        int first = prefix.getInt(0);
        long length = first == MessageSerializer.IPC_CONTINUATION_TOKEN ? prefix.getInt(4) : first;
        return length >= 0 && length <= size - position - 8;
    }

    private DatasetException notArrow() {
        return new DatasetException(path + " is not an Arrow IPC file: it starts neither with the Arrow file magic"
                + " nor with a schema message. Convert CSV, JSON Lines or Parquet files with Csv, JsonLines or Parquet");
    }

    private boolean endsWithEndMarker(long start) throws IOException {
        long left = size - start;
        if (left == 8) {
            ByteBuffer marker = readAt(start, 8).order(ByteOrder.LITTLE_ENDIAN);
            return marker.getInt(0) == MessageSerializer.IPC_CONTINUATION_TOKEN && marker.getInt(4) == 0;
        }
        return left == 4 && readAt(start, 4).getInt(0) == 0;
    }

    private ByteBuffer readAt(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw cutOff("it ends early");
            }
        }
        return buffer.flip();
    }

    private DatasetException cutOff(String detail) {
        return new DatasetException(path + " is not a complete Arrow IPC file: " + detail + ". It was probably cut off"
                + " while being written (a crash, a full disk) or damaged afterwards; write it again");
    }
}
