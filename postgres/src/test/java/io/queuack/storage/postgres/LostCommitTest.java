package io.queuack.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A write whose connection breaks while it commits: the store asks the server whether the transaction committed
 * (txid_status) instead of guessing, so a committed write is reported once and never run again, and a write that
 * did not commit runs again.
 */
class LostCommitTest {

    private final String schema = TestDatabase.freshSchema();
    private PGSimpleDataSource server;

    @BeforeEach
    void table() throws SQLException {
        server = new PGSimpleDataSource();
        server.setURL(TestDatabase.url());
        try (Connection connection = server.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".writes (n INTEGER)");
        }
    }

    @AfterEach
    void drop() {
        TestDatabase.dropSchema(schema);
    }

    /** Connections whose next {@code commit()} is cut as a broken link would: after, or instead of, committing. */
    private DataSource breakingCommits(AtomicInteger breaks, boolean commitFirst) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (source, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return method.invoke(server, args);
                    }
                    Connection real = server.getConnection();
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (connection, call, callArgs) -> {
                                if (call.getName().equals("commit") && breaks.getAndDecrement() > 0) {
                                    if (commitFirst) {
                                        real.commit();
                                    }
                                    real.close();
                                    throw new SQLException("An I/O error occurred while sending to the backend.",
                                            "08006");
                                }
                                try {
                                    return call.invoke(real, callArgs);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }

    private int write(DataSource source, AtomicInteger runs) {
        Transactions transactions = new Transactions(source, "test store", Duration.ofSeconds(5), "queuack_test",
                "origin", () -> false);
        return transactions.write("insert a row", statements -> {
            runs.incrementAndGet();
            PreparedStatement insert = statements.prepare("INSERT INTO " + schema + ".writes VALUES (1)");
            return insert.executeUpdate();
        });
    }

    private int rows() throws SQLException {
        try (Connection connection = server.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + schema + ".writes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aCommitThatHappenedIsReportedOnceAndNotRunAgain() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        assertEquals(1, write(breakingCommits(new AtomicInteger(1), true), runs));
        assertEquals(1, runs.get(), "the work ran once");
        assertEquals(1, rows(), "and is stored once");
    }

    @Test
    void aCommitThatDidNotHappenRunsAgain() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        assertEquals(1, write(breakingCommits(new AtomicInteger(1), false), runs));
        assertEquals(2, runs.get(), "the work ran again on a new connection");
        assertEquals(1, rows(), "and is stored once");
    }
}
