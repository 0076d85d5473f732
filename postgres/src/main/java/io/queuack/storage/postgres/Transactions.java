package io.queuack.storage.postgres;

import io.queuack.error.QueueClosedException;
import io.queuack.error.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Runs each read and write of the store as one transaction on a pooled connection (READ COMMITTED), and
 * retries what PostgreSQL asks to retry: a deadlock or serialization failure between processes, a
 * duplicate key another process inserted at the same moment, and a lost connection (a restarted server, a
 * killed backend, a broken link), for up to the store's reconnect time before giving up loudly.
 *
 * <p>A write whose connection broke while it committed may or may not be stored. Each write therefore
 * learns its transaction id before it commits, and after such a break asks the server (on a new
 * connection) whether that transaction committed: if it did, the write returns what it stored; if it did
 * not, it runs again. Nothing is stored twice and nothing reported as stored is missing.
 */
final class Transactions {

    private static final System.Logger LOG = System.getLogger(Transactions.class.getName());
    private static final int MAX_CONFLICT_RETRIES = 50;

    /** Work that runs inside one transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Statements statements) throws SQLException;
    }

    /** What became of a transaction whose commit was interrupted. */
    private enum Fate { COMMITTED, NOT_COMMITTED }

    private final DataSource dataSource;
    private final String description;
    private final Duration reconnectFor;
    /** The notification channel of the store's schema, and this store's id in what it sends there. */
    private final String channel;
    private final String origin;
    /** Whether some other session listens for job-level changes (kept by the store's change feed). */
    private final BooleanSupplier jobEventsWanted;
    private volatile boolean closed;

    Transactions(DataSource dataSource, String description, Duration reconnectFor, String channel, String origin,
                 BooleanSupplier jobEventsWanted) {
        this.dataSource = dataSource;
        this.description = description;
        this.reconnectFor = reconnectFor;
        this.channel = channel;
        this.origin = origin;
        this.jobEventsWanted = jobEventsWanted;
    }

    <T> T read(String operation, SqlWork<T> work) {
        return run(operation, work, true);
    }

    <T> T write(String operation, SqlWork<T> work) {
        return run(operation, work, false);
    }

    void markClosed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    private <T> T run(String operation, SqlWork<T> work, boolean readOnly) {
        Retries retries = new Retries(operation);
        while (true) {
            checkOpen();
            long txid = 0;
            T result = null;
            try (Connection connection = dataSource.getConnection()) {
                try (Statements statements = new Statements(connection, !readOnly && jobEventsWanted.getAsBoolean())) {
                    connection.setAutoCommit(false);
                    result = work.run(statements);
                    if (!readOnly) {
                        txid = publishAndIdentify(statements);
                    }
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (txid != 0 && isConnectionLoss(e) && fate(txid, retries) == Fate.COMMITTED) {
                    return result;
                }
                retries.after(e);
            }
        }
    }

    /**
     * Sends what the transaction tells other processes (delivered only if it commits) and learns its id, in
     * one round trip when it all fits one notification.
     */
    private long publishAndIdentify(Statements statements) throws SQLException {
        Publication publication = statements.publication();
        List<String> payloads = publication.isEmpty() ? List.of() : publication.payloads(origin);
        PreparedStatement select = statements.prepare(payloads.isEmpty() ? "SELECT txid_current()"
                : "SELECT txid_current(), pg_notify(?, ?)");
        for (int i = 1; i < payloads.size(); i++) {
            PreparedStatement notify = statements.prepare("SELECT pg_notify(?, ?)");
            notify.setString(1, channel);
            notify.setString(2, payloads.get(i));
            notify.executeQuery().close();
        }
        if (!payloads.isEmpty()) {
            select.setString(1, channel);
            select.setString(2, payloads.get(0));
        }
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Asks the server, on a new connection, whether transaction {@code txid} committed; waits while it cannot tell. */
    private Fate fate(long txid, Retries retries) {
        while (true) {
            checkOpen();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT txid_status(?)")) {
                select.setLong(1, txid);
                try (ResultSet rs = select.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : null;
                    if ("committed".equals(status)) {
                        return Fate.COMMITTED;
                    }
                    if (!"in progress".equals(status)) {
                        return Fate.NOT_COMMITTED;
                    }
                }
                retries.waitForFate(txid);
            } catch (SQLException e) {
                retries.afterLostConnection(e);
            }
        }
    }

    /** Counts the retries of one operation and gives up, loudly, when they run out. */
    private final class Retries {
        private final String operation;
        private final long deadline = System.nanoTime() + reconnectFor.toNanos();
        private int conflicts;
        private int lostConnections;

        Retries(String operation) {
            this.operation = operation;
        }

        /** Returns if {@code failure} is worth running the work again (after a pause), else throws. */
        void after(SQLException failure) {
            if (isConflict(failure) && conflicts++ < MAX_CONFLICT_RETRIES) {
                pause(1 + ThreadLocalRandom.current().nextInt(2 << Math.min(conflicts, 5)));
                return;
            }
            afterLostConnection(failure);
        }

        void afterLostConnection(SQLException failure) {
            if (!isConnectionLoss(failure) || closed || System.nanoTime() > deadline) {
                throw new StorageException("Could not " + operation + " on " + description + ": " + failure.getMessage()
                        + (isConnectionLoss(failure) ? " (no connection for " + reconnectFor.toSeconds() + " s)" : ""),
                        failure);
            }
            if (lostConnections++ == 0) {
                LOG.log(System.Logger.Level.WARNING, "Lost the connection to {0} during \"{1}\" ({2}); trying again"
                        + " for up to {3} s", description, operation, failure.getMessage(), reconnectFor.toSeconds());
            }
            pause(Math.min(1000, 25L << Math.min(lostConnections, 6)));
        }

        /** Waits a little for a transaction the server still shows in progress; gives up loudly at the deadline. */
        void waitForFate(long txid) {
            if (System.nanoTime() > deadline) {
                throw new StorageException("The connection to " + description + " broke while committing \"" + operation
                        + "\", and its transaction " + txid + " is still in progress on the server after "
                        + reconnectFor.toSeconds() + " s: whether it is stored is unknown. Look it up before doing it"
                        + " again.", null);
            }
            pause(10);
        }

        void pause(long millis) {
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("Interrupted while waiting to " + operation + " on " + description, e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new QueueClosedException(description, true);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** @return true for a failure that another process's concurrent transaction caused: run it again */
    static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }

    /** @return true when the connection or the server went away (the work may succeed on a new connection) */
    static boolean isConnectionLoss(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
