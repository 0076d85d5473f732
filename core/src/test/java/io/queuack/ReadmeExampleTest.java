package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples, as written there, so that they keep compiling and working. */
class ReadmeExampleTest {

    record Resize(String image, int width) {
    }

    @TempDir
    Path dir;

    @Test
    void quickstartRunsAsDocumented() {
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            queue.register("resize", Resize.class, (ctx, job) -> {
                ctx.progress(0.5, "decoding " + job.image());
                return job.image() + "@" + job.width();
            });

            long id = queue.enqueue("resize", new Resize("cat.png", 640),
                    JobOptions.defaults().priority(80).maxAttempts(5).timeout(Duration.ofSeconds(30)));
            queue.enqueueAll("resize", List.of(new Resize("a.png", 64), new Resize("b.png", 64)));

            try (WorkerPool pool = queue.workers().concurrency(4).start()) {
                Job done = queue.await(id, Duration.ofSeconds(10));
                assertEquals(JobStatus.SUCCEEDED, done.status());
                assertEquals("cat.png@640", queue.result(id, String.class));
                assertEquals("#" + id + " resize [default] SUCCEEDED attempt 1/5", done.summary());
                pool.awaitIdle(Waits.LONG);
            }
            assertEquals("default: 3 succeeded", queue.stats().get(0).summary());
        }
    }

    @Test
    void dagExampleRunsAsDocumented() {
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            Dag etl = Dag.builder("etl")
                    .task("extract", ctx -> List.of("orders-" + ctx.parameter("day", String.class) + ".csv",
                            "refunds.csv"))
                    .map("parse", "extract", String.class, (ctx, file) -> file.length())
                    .task("load", ctx -> ctx.upstream("parse", new TypeReference<List<Integer>>() {})
                            .stream().mapToInt(Integer::intValue).sum()).after("parse")
                        .retries(3).timeout(Duration.ofMinutes(5))
                    .build();

            DagRun run = queue.run(etl, RunOptions.defaults().parameter("day", "2026-11-23"));
            assertEquals(RunStatus.SUCCEEDED + " 32", run.status() + " " + run.result("load", Integer.class));
            String picture = run.toText();
            assertTrue(picture.startsWith("etl · run " + run.id() + " · SUCCEEDED"), picture);
            assertTrue(picture.contains("1: refunds.csv"), picture);
        }
    }
}
