package io.queuack.error;

import io.queuack.QueuackBuilder;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A queue file opened without changes that were reported as stored: its write-ahead log ({@code .wal})
 * was deleted or damaged after the process that wrote it stopped, and the database holds less than its
 * commit record ({@code .commits}) says was stored (job ids, outcomes, other changes). The file is left as it is. Restore the file
 * with its {@code .wal} from a backup, or open it with {@link QueuackBuilder#acceptLostCommits()} to go on
 * with what it holds.
 */
public class LostCommitsException extends StorageException {

    private final transient Path file;
    private final String missing;

    /**
     * @param missing      what the lost commits had stored, e.g. {@code "jobs 1501 to 3000"}
     * @param lastCommitAt when the last commit the record knows of was made
     */
    public LostCommitsException(Path file, String missing, Instant lastCommitAt) {
        super("The queue file " + file + " is missing changes that were reported as stored (" + missing
                + "; the last commit was at " + lastCommitAt + "): its write-ahead log " + file.getFileName()
                + ".wal was deleted or damaged after the process that wrote it stopped. Nothing was changed. Restore"
                + " the file together with its .wal from a backup (Queuack#backup makes one of an open queue), or"
                + " open it anyway with Queuack.builder().duckdb(file).acceptLostCommits() to go on with what it"
                + " holds.", null);
        this.file = file;
        this.missing = missing;
    }

    /** @return the queue file */
    public Path file() {
        return file;
    }

    /** @return what the lost commits had stored, in words */
    public String missing() {
        return missing;
    }
}
