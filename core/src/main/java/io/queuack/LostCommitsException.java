package io.queuack;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A queue file opened without changes that were reported as stored: its write-ahead log ({@code .wal})
 * was deleted or damaged after the process that wrote it stopped, and the database holds fewer commits
 * than its commit record ({@code .commits}) says were made. The file is left as it is. Restore the file
 * with its {@code .wal} from a backup, or open it with {@link QueuackBuilder#acceptLostCommits()} to go on
 * with what it holds.
 */
public class LostCommitsException extends StorageException {

    private final transient Path file;
    private final long held;
    private final long recorded;

    public LostCommitsException(Path file, long held, long recorded, Instant lastCommitAt) {
        super("The queue file " + file + " is missing " + (recorded - held) + " of its " + recorded + " committed"
                + " changes (the newest, up to " + lastCommitAt + "): its write-ahead log " + file.getFileName()
                + ".wal was deleted or damaged after the process that wrote it stopped. Nothing was changed. Restore"
                + " the file together with its .wal from a backup (Queuack#backup makes one of an open queue), or"
                + " open it anyway with Queuack.builder().duckdb(file).acceptLostCommits() to go on with what it"
                + " holds.", null);
        this.file = file;
        this.held = held;
        this.recorded = recorded;
    }

    /** @return the queue file */
    public Path file() {
        return file;
    }

    /** @return how many commits the database holds */
    public long heldCommits() {
        return held;
    }

    /** @return how many commits its record says were made */
    public long recordedCommits() {
        return recorded;
    }
}
