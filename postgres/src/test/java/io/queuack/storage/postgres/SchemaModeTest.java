package io.queuack.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.QueuackException;
import io.queuack.error.StorageException;
import io.queuack.job.JobQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CREATE makes the tables, VALIDATE refuses a schema without them (naming the scripts), SKIP touches nothing. */
class SchemaModeTest {

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @Test
    void validateRefusesWhatCreateWouldMakeAndAcceptsItAfterwards() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.url());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema.name());
        }
        QueuackException refused = assertThrows(QueuackException.class, () -> PostgresStorage
                .connect(TestDatabase.url()).schema(schema.name()).schemaMode(SchemaMode.VALIDATE).open());
        List<String> scripts = PostgresStorage.schemaScripts();
        assertTrue(refused.getMessage().contains("schema version 0; this library needs " + scripts.size())
                && scripts.stream().allMatch(refused.getMessage()::contains), refused.getMessage());
        try (PostgresStorage skipped = PostgresStorage.connect(TestDatabase.url()).schema(schema.name())
                .schemaMode(SchemaMode.SKIP).open()) {
            assertThrows(StorageException.class, () -> skipped.find(JobQuery.all()),
                    "SKIP opened without checking or creating: there are no tables");
        }
        PostgresStorage.connect(TestDatabase.url()).schema(schema.name()).open().close();
        try (PostgresStorage validated = PostgresStorage.connect(TestDatabase.url()).schema(schema.name())
                .schemaMode(SchemaMode.VALIDATE).open()) {
            assertEquals(0, validated.find(JobQuery.all()).size());
        }
        assertEquals(List.of("V1__jobs_runs_and_workers.sql", "V2__schedules.sql", "V3__limits.sql",
                "V4__job_attempts.sql"), scripts);
    }

    /** Worker processes started together on a new schema: each may be first to create it. */
    @Test
    void processesOpeningANewSchemaAtOnceAllOpenIt() throws Exception {
        int openers = 6;
        CyclicBarrier together = new CyclicBarrier(openers);
        ExecutorService threads = Executors.newFixedThreadPool(openers);
        try {
            List<Future<Integer>> opened = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                opened.add(threads.submit(() -> {
                    together.await();
                    try (PostgresStorage storage = PostgresStorage.connect(schema.url()).poolSize(1).open()) {
                        return storage.find(JobQuery.all()).size();
                    }
                }));
            }
            for (Future<Integer> open : opened) {
                assertEquals(0, open.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
