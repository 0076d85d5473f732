package io.queuack.storage.duckdb;

import io.queuack.error.QueueClosedException;
import io.queuack.error.StorageException;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.WriteFunnel;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;

/**
 * The transactions on a DuckDB store's one connection. Reads run one at a time under the store's lock.
 * Writes go through the store's {@link WriteFunnel}: what several threads write at the same moment is
 * committed in one transaction (inserts of jobs merged into the same statements), and each caller returns
 * once its write is committed. If a write of a group fails, the group is rolled back and each of its writes
 * is tried again alone, so a write fails only for its own reason.
 */
final class Transactions {

    private static final System.Logger LOG = System.getLogger(Transactions.class.getName());

    /** Work that runs inside one transaction on the store's connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** What a write leaves in a file's {@link FileDurability} marks before its transaction commits. */
    @FunctionalInterface
    interface Marking<T> {
        void mark(T result, FileDurability durability) throws SQLException;
    }

    private final String description;
    private final boolean durable;
    private final DuckDBConnection connection;
    private final Statements statements;
    private final JobInserter jobInserter;
    private final ReentrantLock lock = new ReentrantLock();
    private final WriteFunnel<Write<?>> funnel = new WriteFunnel<>(this::commit);
    private FileDurability durability;
    /** Set when DuckDB stopped the database after a failed write (a full disk): why, in words. */
    private String invalidated;
    private boolean closed;

    Transactions(String description, boolean durable, Statements statements, JobInserter jobInserter) {
        this.description = description;
        this.durable = durable;
        this.statements = statements;
        this.connection = statements.connection();
        this.jobInserter = jobInserter;
    }

    /** @return the lock every use of the connection holds (reads, commits, checkpoints, backups, closing) */
    ReentrantLock lock() {
        return lock;
    }

    void durability(FileDurability durability) {
        this.durability = durability;
    }

    /** @return the file's commit marks, or null for a store in memory (or one still opening) */
    FileDurability durability() {
        return durability;
    }

    boolean isClosed() {
        return closed;
    }

    /** @return why DuckDB stopped the database, or null while it works */
    String invalidated() {
        return invalidated;
    }

    void markClosed() {
        closed = true;
    }

    /** Runs {@code work} under the lock in one transaction that leaves no marks (reads, backups). */
    <T> T read(String operation, SqlWork<T> work) {
        lock.lock();
        try {
            checkUsable();
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw failure(operation, e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes through the funnel: returns once {@code work}'s transaction committed, with what it returned. */
    <T> T write(String operation, SqlWork<T> work, Marking<? super T> marking) {
        return funnel.write(new Write<>(operation, work, marking, null)).outcome();
    }

    /** Inserts jobs through the funnel, in the same statements as the jobs other threads insert meanwhile. */
    List<Inserted> insert(List<JobBatch> batches) {
        Write<List<Inserted>> insert = new Write<>("insert jobs", null, (inserted, marks) -> marks.inserted(
                inserted.stream().flatMapToLong(batch -> Arrays.stream(batch.ids())).max().orElse(0)),
                List.copyOf(batches));
        return funnel.write(insert).outcome();
    }

    /** Commits a group of writes in one transaction; on a failure, each alone. Called by one thread at a time. */
    private void commit(List<Write<?>> group) {
        lock.lock();
        try {
            checkUsable();
            runAll(group);
            connection.commit();
            if (durability != null) {
                durability.committed(Instant.now());
            }
            group.forEach(Write::settle);
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            RuntimeException failure = failure(group.get(0).operation, e);
            if (group.size() == 1 || invalidated != null || closed) {
                group.forEach(write -> write.fail(group.size() == 1 ? failure : failure(write.operation, e)));
            } else {
                for (Write<?> write : group) {
                    commit(List.of(write));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void runAll(List<Write<?>> group) throws SQLException {
        List<JobBatch> batches = new ArrayList<>();
        for (Write<?> write : group) {
            if (write.batches != null) {
                batches.addAll(write.batches);
            }
        }
        List<Inserted> inserted = batches.isEmpty() ? List.of() : jobInserter.insert(batches);
        int next = 0;
        for (Write<?> write : group) {
            if (write.batches != null) {
                write.holdInserted(List.copyOf(inserted.subList(next, next + write.batches.size())));
                next += write.batches.size();
            } else {
                write.run();
            }
            if (durability != null) {
                write.mark(durability);
            }
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new QueueClosedException("The queue store (" + description + ")", durable);
        }
        if (invalidated != null) {
            throw new StorageException(invalidated, null);
        }
    }

    /** @return the exception a caller of {@code operation} gets for {@code e}; stops the store if DuckDB did */
    private RuntimeException failure(String operation, Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (invalidated == null && isFatal(e)) {
            invalidated = "The " + description + " cannot be used any more: DuckDB stopped it after a write failed ("
                    + firstLine(e) + "). Nothing after that failure was stored; what was committed before it is"
                    + " kept. " + (e.getMessage().contains("No space left") ? "The disk is full: free space, then"
                    : "Fix the cause, then") + " close this queue (queue.close()) and open it again.";
            LOG.log(System.Logger.Level.ERROR, invalidated, e);
        }
        if (invalidated != null) {
            return new StorageException(invalidated, e);
        }
        return new StorageException("Could not " + operation + " in " + description + ": " + e.getMessage(), e);
    }

    /** @return whether DuckDB invalidated the database: every later statement fails the same way */
    private static boolean isFatal(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("invalidated") || message.contains("FATAL") || message.contains("No space left");
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Rolls back the open transaction and forgets the cached statements (the driver closed the failed one). */
    void rollback(Exception failure) {
        if (durability != null) {
            durability.rolledBack();
        }
        if (closed) {
            return;
        }
        statements.clear(failure);
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /**
     * One write waiting in the funnel: SQL work, or jobs to insert with the others of its group.
     *
     * @param <T> what the write returns
     */
    private static final class Write<T> extends WriteFunnel.Request<T> {

        final String operation;
        final SqlWork<T> work;
        final Marking<? super T> marking;
        final List<JobBatch> batches;
        private T held;

        Write(String operation, SqlWork<T> work, Marking<? super T> marking, List<JobBatch> batches) {
            this.operation = operation;
            this.work = work;
            this.marking = marking;
            this.batches = batches;
        }

        void run() throws SQLException {
            held = work.run();
        }

        /** Only for a write made by {@link Transactions#insert}, whose result is the inserted ids. */
        @SuppressWarnings("unchecked")
        void holdInserted(List<Inserted> inserted) {
            held = (T) inserted;
        }

        void mark(FileDurability durability) throws SQLException {
            marking.mark(held, durability);
        }

        /** The transaction committed: the caller gets what its work returned. */
        void settle() {
            succeed(held);
        }
    }
}
