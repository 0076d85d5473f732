package io.queuack.storage.duckdb;

import io.queuack.error.LostCommitsException;
import io.queuack.error.StorageException;
import io.queuack.storage.duckdb.CommitRecord.Marks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a queue file honest about what it stored, at almost no cost per commit. What a caller is told is
 * stored leaves marks in rows it writes anyway: an enqueue its job ids, a round trip that stores outcomes its
 * number in those jobs' {@code outcome_seq}; the rarer changes (cancel, retry, pause, purge, recovery) are numbered in {@code queuack_changes}. After each
 * commit the marks go to the {@link CommitRecord} beside the file; on open a database whose marks are
 * below its record's lost commits (a deleted, cut or damaged {@code .wal}) and is refused. The database
 * says whether it is open ({@code queuack_counters.open}, checkpointed on open and on close), so a copy
 * of an open queue without its record is known not to be checkable. Used under the store's lock.
 */
final class FileDurability implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileDurability.class.getName());

    private final Statements statements;
    private final CommitRecord record;
    private Marks stored;
    private Marks staged;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean unCheckpointed;

    private FileDurability(Statements statements, CommitRecord record, Marks stored) {
        this.statements = statements;
        this.record = record;
        this.stored = stored;
    }

    /**
     * Checks the database against its commit record, marks it open, then opens the record.
     *
     * @param acceptLostCommits open a database that lost commits anyway (with a warning)
     * @throws LostCommitsException if the database holds less than its record says was stored
     */
    static FileDurability open(Path file, Statements statements, boolean acceptLostCommits, Instant now)
            throws SQLException {
        Optional<CommitRecord.Recorded> recorded = CommitRecord.read(file);
        Marks held = marksIn(statements);
        if (recorded.isPresent() && !held.holds(recorded.get().marks())) {
            LostCommitsException lost = new LostCommitsException(file, describe(held, recorded.get().marks()),
                    recorded.get().lastCommitAt());
            if (!acceptLostCommits) {
                throw lost;
            }
            LOG.log(System.Logger.Level.WARNING, "Opening it anyway, as asked (acceptLostCommits): " + lost.getMessage());
        } else if (recorded.isEmpty() && counter(statements, "open") == 1) {
            LOG.log(System.Logger.Level.WARNING, "The queue file " + file + " was not closed (a copy of an open queue,"
                    + " or its process died) and its commit record " + CommitRecord.beside(file).getFileName()
                    + " is missing: changes committed after its last checkpoint may be missing, and cannot be"
                    + " checked. Copy an open queue with Queuack#backup.");
        }
        setCounter(statements, "open", 1);
        CommitRecord opened = CommitRecord.open(file);
        opened.committed(held, now);
        return new FileDurability(statements, opened, held);
    }

    /** @return what the lost commits had stored, in words */
    private static String describe(Marks held, Marks recorded) {
        StringBuilder text = new StringBuilder();
        if (held.jobId() < recorded.jobId()) {
            text.append("jobs ").append(held.jobId() + 1).append(" to ").append(recorded.jobId());
        }
        if (held.outcomes() < recorded.outcomes()) {
            text.append(text.length() > 0 ? ", " : "").append("the outcomes of ")
                    .append(recorded.outcomes() - held.outcomes()).append(" round trips of worker pools");
        }
        if (held.changes() < recorded.changes()) {
            text.append(text.length() > 0 ? ", " : "").append(recorded.changes() - held.changes())
                    .append(" cancels, retries, pauses or purges");
        }
        return text.toString();
    }

    /** @return the marks the database holds */
    static Marks marksIn(Statements statements) throws SQLException {
        long jobId = Math.max(single(statements, "SELECT coalesce(max(id), 0) FROM jobs"), counter(statements, "jobs"));
        long outcomes = Math.max(single(statements, "SELECT coalesce(max(outcome_seq), 0) FROM jobs"),
                counter(statements, "outcomes"));
        long changes = single(statements, "SELECT coalesce(max(seq), 0) FROM queuack_changes");
        return new Marks(jobId, outcomes, changes);
    }

    private static long single(Statements statements, String sql) throws SQLException {
        try (ResultSet rs = statements.prepare(sql).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long counter(Statements statements, String name) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT value FROM queuack_counters WHERE name = ?");
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : Long.MIN_VALUE;
        }
    }

    private static void setCounter(Statements statements, String name, long value) throws SQLException {
        PreparedStatement upsert = statements.prepare("INSERT INTO queuack_counters (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        upsert.setString(1, name);
        upsert.setLong(2, value);
        upsert.executeUpdate();
    }

    /** The current transaction stores jobs up to id {@code jobId}. */
    void inserted(long jobId) {
        stage(new Marks(jobId, 0, 0));
    }

    /** @return the number a round trip that stores outcomes writes into their {@code outcome_seq} */
    long nextOutcomeSeq() {
        return stored.outcomes() + 1;
    }

    /** The current transaction stored outcomes numbered {@code seq}. */
    void outcomesStored(long seq) {
        stage(new Marks(0, seq, 0));
    }

    /** The current transaction makes a change that is neither an enqueue nor an outcome: it is numbered. */
    void changed() throws SQLException {
        long seq = Math.max(stored.changes(), staged == null ? 0 : staged.changes()) + 1;
        PreparedStatement insert = statements.prepare("INSERT INTO queuack_changes (seq) VALUES (?)");
        insert.setLong(1, seq);
        insert.executeUpdate();
        stage(new Marks(0, 0, seq));
    }

    /** The current transaction deletes jobs (purge), maybe those with the last outcome number: keep it. */
    void keepOutcomeMark() throws SQLException {
        statements.prepare("INSERT INTO queuack_counters (name, value) SELECT 'outcomes', coalesce(max(outcome_seq), 0)"
                + " FROM jobs ON CONFLICT (name) DO UPDATE SET value = greatest(queuack_counters.value,"
                + " excluded.value)").executeUpdate();
    }

    private void stage(Marks marks) {
        staged = staged == null ? marks : staged.max(marks);
    }

    /** The current transaction committed at {@code at}: its marks go to the record. */
    void committed(Instant at) {
        if (staged == null) {
            return;
        }
        stored = stored.max(staged);
        staged = null;
        record.committed(stored, at);
        lastWriteNanos = System.nanoTime();
        unCheckpointed = true;
    }

    /** The current transaction was rolled back: its marks are dropped. */
    void rolledBack() {
        staged = null;
    }

    /** @return whether writes wait in the write-ahead log and none came for {@code quietNanos} */
    boolean isIdleWithUncheckpointedWrites(long quietNanos) {
        return unCheckpointed && System.nanoTime() - lastWriteNanos >= quietNanos;
    }

    /**
     * Writes the write-ahead log into the file (numbered changes but the newest are dropped first). The caller
     * holds the store's lock.
     */
    void checkpoint(Connection connection) throws SQLException {
        statements.prepare("DELETE FROM queuack_changes WHERE seq < (SELECT max(seq) FROM queuack_changes)")
                .executeUpdate();
        connection.commit();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        }
        connection.commit();
        unCheckpointed = false;
    }

    /**
     * Copies the queue file, checkpointed and marked closed (so the copy opens as a whole file), to
     * {@code target} through a {@code .partial} file. The caller holds the store's lock; writes wait.
     */
    void copyFile(Connection connection, Path file, Path target) throws SQLException {
        closing();
        connection.commit();
        checkpoint(connection);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("Cannot write the backup " + target + ": " + e.getMessage(), e);
        } finally {
            setCounter(statements, "open", 1);
        }
    }

    /** Marks the database closed; the caller commits. */
    void closing() throws SQLException {
        setCounter(statements, "open", 0);
    }

    @Override
    public void close() {
        record.close();
    }
}
