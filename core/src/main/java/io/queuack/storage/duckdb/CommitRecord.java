package io.queuack.storage.duckdb;

import io.queuack.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A small file beside a queue file ({@code jobs.duckdb.commits}) that remembers the newest of what the queue
 * reported as stored: the highest job id enqueued, the number of the last round trip that stored outcomes,
 * and how many other changes (cancel, retry, pause, purge, recovery) were committed. DuckDB keeps recent commits in its
 * write-ahead log ({@code jobs.duckdb.wal}) until a checkpoint; if that log is deleted or cut after a crash,
 * DuckDB opens the file without them and says nothing. The database holds the same marks, so on open a
 * database below its record has lost committed work.
 *
 * <p>The record is written after each commit without forcing it to disk (one positional write of 40 bytes:
 * it survives a killed process; after a power cut it may lag, which only makes the check weaker, never
 * wrong), and forced to disk on close.
 */
final class CommitRecord implements AutoCloseable {

    private static final byte[] MAGIC = "QUEUACK1".getBytes(StandardCharsets.US_ASCII);
    private static final int SIZE = 40;

    /**
     * The marks of what was stored, as a record or a database holds them.
     *
     * @param jobId    the highest job id stored
     * @param outcomes the number of the last round trip that stored outcomes
     * @param changes  how many other changes were committed
     */
    record Marks(long jobId, long outcomes, long changes) {

        /** @return whether every mark of {@code recorded} is held here */
        boolean holds(Marks recorded) {
            return jobId >= recorded.jobId && outcomes >= recorded.outcomes && changes >= recorded.changes;
        }

        Marks max(Marks other) {
            return new Marks(Math.max(jobId, other.jobId), Math.max(outcomes, other.outcomes),
                    Math.max(changes, other.changes));
        }
    }

    /** What a record said when the queue was opened, and when it was last written. */
    record Recorded(Marks marks, Instant lastCommitAt) {
    }

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(SIZE);

    private CommitRecord(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** @return the record file of a queue file */
    static Path beside(Path queueFile) {
        return queueFile.resolveSibling(queueFile.getFileName() + ".commits");
    }

    /**
     * @return what the record beside {@code queueFile} says, or empty if there is none
     * @throws StorageException if it exists but cannot be read or is not a commit record
     */
    static Optional<Recorded> read(Path queueFile) {
        Path path = beside(queueFile);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            ByteBuffer data = ByteBuffer.wrap(bytes);
            if (bytes.length < SIZE || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
                throw new StorageException("The commit record " + path + " is damaged (it is not a Queuack commit"
                        + " record); delete it to open the queue without checking for lost commits", null);
            }
            Marks marks = new Marks(data.getLong(8), data.getLong(16), data.getLong(24));
            long micros = data.getLong(32);
            return Optional.of(new Recorded(marks, Instant.EPOCH.plusNanos(micros * 1000)));
        } catch (IOException e) {
            throw new StorageException("Cannot read the commit record " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the record beside {@code queueFile} for writing. */
    static CommitRecord open(Path queueFile) {
        Path path = beside(queueFile);
        try {
            return new CommitRecord(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new StorageException("Cannot write the commit record " + path + ": " + e.getMessage(), e);
        }
    }

    /** Records that what {@code marks} says is committed, the last at {@code at}. */
    void committed(Marks marks, Instant at) {
        buffer.clear();
        buffer.put(MAGIC).putLong(marks.jobId()).putLong(marks.outcomes()).putLong(marks.changes())
                .putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1000);
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
        } catch (IOException e) {
            throw new StorageException("Cannot write the commit record " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new StorageException("Cannot close the commit record " + path + ": " + e.getMessage(), e);
        }
    }
}
