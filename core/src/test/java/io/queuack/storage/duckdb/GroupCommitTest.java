package io.queuack.storage.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.StorageException;
import io.queuack.job.Backoff;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB file's write funnel: inserts from many threads merged into shared transactions, and a write
 * that fails inside a group failing alone while the rest of its group is stored.
 */
class GroupCommitTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private DuckDBConnection connection;
    private Transactions transactions;
    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task);
        started.add(thread);
        return thread;
    });

    @BeforeEach
    void open() throws SQLException {
        connection = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:" + dir.resolve("q.duckdb"),
                new Properties());
        connection.setAutoCommit(false);
        Migrations.apply(connection, "the test file");
        JobInserter.createStagingTable(connection);
        connection.commit();
        Statements statements = new Statements(connection);
        transactions = new Transactions("the test file", true, statements,
                new JobInserter(statements, new IdAllocator(1)));
    }

    @AfterEach
    void close() throws SQLException {
        threads.shutdownNow();
        connection.close();
    }

    private static List<JobBatch> oneJob(int argument) {
        return List.of(new JobBatch("default", "noop", null, 0, 3, Backoff.DEFAULT, null, T0, T0, null,
                List.of(String.valueOf(argument)), null, null));
    }

    @Test
    void singleInsertsFromManyThreadsAreAllStoredWithDistinctIds() throws Exception {
        List<Future<List<Long>>> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            callers.add(threads.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    ids.add(transactions.insert(oneJob(i)).get(0).ids()[0]);
                }
                return ids;
            }));
        }
        Set<Long> ids = new HashSet<>();
        for (Future<List<Long>> caller : callers) {
            ids.addAll(caller.get(60, TimeUnit.SECONDS));
        }
        assertEquals(800, ids.size());
        assertEquals(800, count("SELECT count(DISTINCT id) FROM jobs"));
    }

    @Test
    void aWriteThatFailsInAGroupFailsAloneAndTheOthersAreStored() throws Exception {
        List<Future<List<Inserted>>> inserts = new ArrayList<>();
        Future<Object> failing;
        transactions.lock().lock();
        try {
            inserts.add(threads.submit(() -> transactions.insert(oneJob(0))));
            awaitParked(1);
            for (int i = 1; i <= 6; i++) {
                int argument = i;
                inserts.add(threads.submit(() -> transactions.insert(oneJob(argument))));
            }
            failing = threads.submit(() -> transactions.write("store the impossible", () -> {
                throw new SQLException("injected failure");
            }, (result, marks) -> { }));
            inserts.add(threads.submit(() -> transactions.insert(oneJob(7))));
            awaitParked(9);
        } finally {
            transactions.lock().unlock();
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> failing.get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof StorageException, refused.getCause().toString());
        assertTrue(refused.getCause().getMessage().contains("Could not store the impossible in the test file:"
                + " injected failure"), refused.getCause().getMessage());
        Set<Long> ids = new HashSet<>();
        for (Future<List<Inserted>> insert : inserts) {
            ids.add(insert.get(30, TimeUnit.SECONDS).get(0).ids()[0]);
        }
        assertEquals(8, ids.size());
        assertEquals(8, count("SELECT count(*) FROM jobs"));
        assertEquals(8, count("SELECT count(DISTINCT arguments) FROM jobs"));
    }

    /** Waits (bounded) until {@code count} of the test's threads are parked: lined up in the funnel or at the lock. */
    private void awaitParked(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (started.stream().filter(thread -> thread.getState() == Thread.State.WAITING).count() < count) {
            assertTrue(System.nanoTime() < deadline, "the writers did not line up");
            Thread.onSpinWait();
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            long count = rs.getLong(1);
            connection.commit();
            return count;
        }
    }
}
