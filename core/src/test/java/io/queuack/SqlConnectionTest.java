package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL of your own over the queue's tables, through a second connection to the same DuckDB database. */
class SqlConnectionTest {

    @TempDir
    Path dir;

    @Test
    void aDuckDbQueueOpensAConnectionThatSeesItsJobs() throws Exception {
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            queue.register("echo", String.class, (ctx, text) -> text);
            queue.enqueueAll("echo", List.of("a", "b", "c"));
            try (Connection sql = queue.openSqlConnection().orElseThrow();
                    Statement statement = sql.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM jobs WHERE task = 'echo'")) {
                rows.next();
                assertEquals(3, rows.getLong(1));
            }
            assertEquals("default: 3 pending", queue.stats().get(0).summary(), "the queue still works after");
        }
    }

    @Test
    void theJavaMemoryStoreHasNoSql() {
        try (Queuack queue = Queuack.inMemory()) {
            assertTrue(queue.openSqlConnection().isEmpty());
        }
    }
}
