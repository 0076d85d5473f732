package io.queuack.storage.duckdb;

import io.queuack.LostCommitsException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a queue file honest about what it stored. Every write transaction counts itself in the database
 * ({@code queuack_counters.commits}) and, once committed, in the {@link CommitRecord} beside the file; on
 * open a database with fewer commits than its record lost the newest ones (a deleted or damaged
 * {@code .wal}) and is refused. A clean close stores its commit count as {@code closed_at_commit}, so a
 * copy of a closed queue without its record is known to be whole. Used under the store's lock.
 */
final class FileDurability implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileDurability.class.getName());
    private static final String COUNT = "UPDATE queuack_counters SET value = value + 1 WHERE name = 'commits'";

    private final Statements statements;
    private final CommitRecord record;
    private long commits;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean unCheckpointed;

    private FileDurability(Statements statements, CommitRecord record, long commits) {
        this.statements = statements;
        this.record = record;
        this.commits = commits;
    }

    /**
     * Checks the database against its commit record, then opens the record.
     *
     * @param acceptLostCommits open a database that lost commits anyway (with a warning)
     * @throws LostCommitsException if the database holds fewer commits than its record says were made
     */
    static FileDurability open(Path file, Statements statements, boolean acceptLostCommits, Instant now)
            throws SQLException {
        Optional<CommitRecord.Recorded> recorded = CommitRecord.read(file);
        statements.prepare("INSERT INTO queuack_counters (name, value) VALUES ('commits', 0) ON CONFLICT DO NOTHING")
                .executeUpdate();
        long held = counter(statements, "commits");
        if (recorded.isPresent() && held < recorded.get().commits()) {
            LostCommitsException lost = new LostCommitsException(file, held, recorded.get().commits(),
                    recorded.get().lastCommitAt());
            if (!acceptLostCommits) {
                throw lost;
            }
            LOG.log(System.Logger.Level.WARNING, "Opening it anyway, as asked (acceptLostCommits): " + lost.getMessage());
        } else if (recorded.isEmpty() && held > 0 && counter(statements, "closed_at_commit") != held) {
            LOG.log(System.Logger.Level.WARNING, "The queue file " + file + " was not closed cleanly and its commit"
                    + " record " + CommitRecord.beside(file).getFileName() + " is missing (a copy of an open queue?):"
                    + " changes committed after its last checkpoint may be missing, and cannot be checked. Copy an"
                    + " open queue with Queuack#backup.");
        }
        CommitRecord opened = CommitRecord.open(file);
        opened.committed(held, now);
        return new FileDurability(statements, opened, held);
    }

    private static long counter(Statements statements, String name) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT value FROM queuack_counters WHERE name = ?");
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Counts the current write transaction; call before its commit. */
    void countWrite() throws SQLException {
        statements.prepare(COUNT).executeUpdate();
    }

    /** The counted transaction committed at {@code at}. */
    void committed(Instant at) {
        commits++;
        record.committed(commits, at);
        lastWriteNanos = System.nanoTime();
        unCheckpointed = true;
    }

    /** @return whether writes wait in the write-ahead log and none came for {@code quietNanos} */
    boolean isIdleWithUncheckpointedWrites(long quietNanos) {
        return unCheckpointed && System.nanoTime() - lastWriteNanos >= quietNanos;
    }

    void checkpointed() {
        unCheckpointed = false;
    }

    /** Stores this commit count as the one a clean close left; call in the last transaction before closing. */
    void closing() throws SQLException {
        PreparedStatement upsert = statements.prepare("INSERT INTO queuack_counters (name, value)"
                + " VALUES ('closed_at_commit', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        upsert.setLong(1, commits);
        upsert.executeUpdate();
    }

    @Override
    public void close() {
        record.close();
    }
}
