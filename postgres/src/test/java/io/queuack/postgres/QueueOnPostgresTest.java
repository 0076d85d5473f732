package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.error.StorageException;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.postgres.FreshSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue and DAG engine on a PostgreSQL store, opened by URL, in one process. */
class QueueOnPostgresTest {

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @Test
    void namedAndInProcessJobsRunThroughWorkers() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            queue.register("double", Integer.class, (ctx, n) -> n * 2);
            long named = queue.enqueue("double", 21);
            long lambda = queue.enqueue(ctx -> "hello from " + ctx.task());
            try (WorkerPool pool = queue.workers().concurrency(2).start()) {
                assertEquals(JobStatus.SUCCEEDED, queue.await(named, Duration.ofSeconds(20)).status());
                assertEquals(42, queue.result(named, Integer.class));
                assertEquals(JobStatus.SUCCEEDED, queue.await(lambda, Duration.ofSeconds(20)).status());
            }
            try (Connection sql = queue.openSqlConnection().orElseThrow(); ResultSet rs = sql.createStatement()
                    .executeQuery("SELECT count(*) FROM jobs WHERE status = 'succeeded'")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "the user's SQL sees the store's own tables");
            }
        }
    }

    @Test
    void aDagWithFanOutFanInAndASubDagSucceeds() {
        AtomicInteger squares = new AtomicInteger();
        Dag inner = Dag.builder("inner").task("one", () -> 1).build();
        Dag dag = Dag.builder("shapes")
                .task("numbers", () -> List.of(1, 2, 3, 4))
                .map("square", "numbers", Integer.class, (ctx, n) -> {
                    squares.incrementAndGet();
                    return n * n;
                })
                .subDag("inner", inner)
                .task("total", ctx -> ctx.upstream("square", List.class).size()).after("square", "inner")
                .build();
        try (Queuack queue = Queuack.open(schema.url())) {
            DagRun run = queue.run(dag, RunOptions.defaults());
            assertEquals(RunStatus.SUCCEEDED, run.status());
            assertEquals(4, run.result("total", Integer.class));
            assertEquals(4, squares.get());
        }
    }

    @Test
    void aSecondQueueOnTheSameStoreSeesTheJobs() {
        try (Queuack first = Queuack.open(schema.url()); Queuack second = Queuack.open(schema.url())) {
            first.register("noop", ctx -> null);
            long id = first.enqueue("noop", null);
            assertEquals(JobStatus.PENDING, second.job(id).orElseThrow().status());
            assertFalse(second.stats().isEmpty());
        }
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        String wrong = schema.url().replaceAll("password=[^&]*", "password=sekrit-123");
        StorageException error = assertThrows(StorageException.class, () -> Queuack.open(wrong));
        assertFalse(error.getMessage().contains("sekrit-123"), error.getMessage());
        assertTrue(error.getMessage().contains("127.0.0.1"), error.getMessage());
    }
}
