package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.schedule.Schedule;
import io.queuack.storage.postgres.FreshSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A DuckDB queue graduates to PostgreSQL with its history, and comes back as a local snapshot. */
class CopyBetweenStoresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    private static Dag pipeline() {
        return Dag.builder("pipeline").task("extract", () -> List.of(1, 2, 3))
                .task("load", ctx -> ctx.upstream("extract", List.class).size()).after("extract").build();
    }

    @Test
    void everythingAFileHoldsMovesToPostgresAndBack() throws Exception {
        Path file = dir.resolve("prototype.duckdb");
        long done;
        long dead;
        long waiting;
        long runId;
        try (Queuack prototype = Queuack.open(file)) {
            prototype.register("square", Integer.class, (ctx, n) -> n * n);
            prototype.register("broken", Integer.class, (ctx, n) -> {
                throw new IllegalStateException("broken\ttab\nline two");
            });
            done = prototype.enqueue("square", 12);
            dead = prototype.enqueue("broken", 1, JobOptions.defaults().maxAttempts(1));
            try (var pool = prototype.workers().concurrency(2).start()) {
                prototype.await(done, Duration.ofSeconds(20));
                prototype.await(dead, Duration.ofSeconds(20));
            }
            DagRun run = prototype.run(pipeline());
            assertEquals(RunStatus.SUCCEEDED, run.status());
            runId = run.id();
            waiting = prototype.enqueue("square", 5, JobOptions.defaults().queue("later"));
            prototype.pause("later");
            prototype.schedules().save(Schedule.task("hourly-square", "square").argument(7).every(Duration.ofHours(1)));
            prototype.limits().set(JobLimit.key("account-*").maxRunning(1));
            Map<String, Long> copied = prototype.copyTo(schema.url());
            assertEquals(Map.of("jobs", 5L, "dag_runs", 1L, "job_dependencies", 1L, "queues", 1L, "schedules", 1L,
                    "job_limits", 1L, "limit_starts", 0L, "job_attempts", 1L), copied);
        }
        try (Queuack shared = Queuack.open(schema.url())) {
            assertEquals(144, shared.result(done, Integer.class));
            Job failed = shared.job(dead).orElseThrow();
            assertEquals(JobStatus.DEAD, failed.status());
            assertEquals("broken\ttab\nline two", failed.error().message());
            assertTrue(failed.error().stackTrace().contains("IllegalStateException"));
            assertEquals(List.of(failed.error()), shared.attempts(dead).stream().map(Attempt::error).toList(),
                    "its failed attempts come along");
            assertEquals(JobStatus.PENDING, shared.job(waiting).orElseThrow().status());
            assertTrue(shared.stats().stream().anyMatch(q -> q.queue().equals("later") && q.paused()));
            assertEquals("every 1h", shared.schedules().get("hourly-square").orElseThrow().schedule().timing().describe());
            assertEquals(List.of(JobLimit.key("account-*").maxRunning(1)), shared.limits().list());
            shared.register(pipeline());
            DagRun run = shared.dagRun(runId).orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, run.status());
            assertEquals(3, run.result("load", Integer.class));
            assertEquals(2, run.tasks().size());
            long next = shared.enqueue("square", 1);
            assertTrue(next > waiting, "new ids start above the copied ones: " + next);
            assertThrows(IllegalStateException.class, () -> shared.copyTo(schema.url()), "an occupied target is refused");
        }
        Path snapshot = dir.resolve("snapshot.duckdb");
        assertEquals(6L, Queuack.copy(schema.url(), snapshot.toString()).get("jobs"));
        try (Queuack local = Queuack.open(snapshot)) {
            local.register("square", Integer.class, (ctx, n) -> n * n);
            assertEquals(6, local.jobs(JobQuery.all().limit(100)).size());
            assertEquals(144, local.result(done, Integer.class));
            assertTrue(local.enqueue("square", 2) > waiting + 1);
        }
    }
}
