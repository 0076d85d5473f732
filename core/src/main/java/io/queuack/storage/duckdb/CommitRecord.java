package io.queuack.storage.duckdb;

import io.queuack.StorageException;
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
 * A small file beside a queue file ({@code jobs.duckdb.commits}) that remembers how many write transactions
 * the queue committed, and when the last one was. DuckDB keeps recent commits in its write-ahead log
 * ({@code jobs.duckdb.wal}) until a checkpoint; if that log is deleted or damaged after a crash, DuckDB
 * opens the file without them and says nothing. The database counts its commits too, so on open a count
 * below this record's means committed work is missing.
 *
 * <p>The record is written after each commit without forcing it to disk (one positional write of 32 bytes:
 * it survives a killed process; after a power cut it may lag, which only makes the check weaker, never
 * wrong), and forced to disk on close.
 */
final class CommitRecord implements AutoCloseable {

    private static final byte[] MAGIC = "QUEUACK1".getBytes(StandardCharsets.US_ASCII);
    private static final int SIZE = 32;

    /** What a record said when the queue was opened. */
    record Recorded(long commits, Instant lastCommitAt) {
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
            long commits = data.getLong(MAGIC.length);
            long micros = data.getLong(MAGIC.length + 8);
            return Optional.of(new Recorded(commits, Instant.EPOCH.plusNanos(micros * 1000)));
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

    /** Records that {@code commits} write transactions are committed, the last at {@code at}. */
    void committed(long commits, Instant at) {
        buffer.clear();
        buffer.put(MAGIC).putLong(commits).putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1000)
                .putLong(0);
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
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new StorageException("Cannot close the commit record " + path + ": " + e.getMessage(), e);
        }
    }
}
