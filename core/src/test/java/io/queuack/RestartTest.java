package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.IllegalJobStateException;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.Storage;
import io.queuack.storage.duckdb.DuckDbStorage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a DuckDB queue file keeps across a restart, and how each kind of job comes back. */
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void namedJobsWaitForTheirTaskToBeRegisteredAgain() {
        Path file = dir.resolve("jobs.duckdb");
        List<Long> ids;
        try (Queuack queue = Queuack.open(file)) {
            queue.register("resize", Integer.class, (ctx, size) -> size * 2);
            ids = queue.enqueueAll("resize", List.of(1, 2, 3));
        }
        try (Queuack queue = Queuack.open(file)) {
            WorkerPool pool = queue.workers().start();
            assertTrue(pool.awaitIdle(Waits.LONG), "jobs of an unregistered task are not claimed");
            assertEquals(3, queue.stats("default").count(JobStatus.PENDING));
            queue.register("resize", Integer.class, (ctx, size) -> size * 2);
            ids.forEach(id -> Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED));
            assertEquals(6, queue.result(ids.get(2), Integer.class));
            pool.close();
        }
    }

    @Test
    void idsAreNeverHandedOutAgainAfterAPurgeAndAReopen() {
        Path file = dir.resolve("jobs.duckdb");
        io.queuack.dag.Dag dag = io.queuack.dag.Dag.builder("one").task("t", ctx -> 1).build();
        long job;
        long run;
        try (Queuack queue = Queuack.open(file)) {
            queue.register("echo", Integer.class, (ctx, n) -> n);
            job = queue.enqueue("echo", 1);
            try (WorkerPool pool = queue.workers().start()) {
                Waits.awaitStatus(queue, job, JobStatus.SUCCEEDED);
            }
            run = queue.run(dag).id();
            assertEquals(2, queue.purge(java.time.Duration.ZERO, JobStatus.SUCCEEDED));
        }
        try (Queuack queue = Queuack.open(file)) {
            queue.register("echo", Integer.class, (ctx, n) -> n);
            long newJob = queue.enqueue("echo", 2);
            assertTrue(newJob > job + 1, "job id " + newJob + " after purged ids up to " + (job + 1));
            assertTrue(queue.job(job).isEmpty(), "the purged id reads nothing");
            long newRun = queue.submit(dag).id();
            assertTrue(newRun > run, "run id " + newRun + " after purged run " + run);
            assertTrue(queue.dagRun(run).isEmpty());
        }
    }

    @Test
    void inProcessLambdasAreOrphanedWithAClearMessage() {
        Path file = dir.resolve("jobs.duckdb");
        long lambda;
        try (Queuack queue = Queuack.open(file)) {
            lambda = queue.enqueue(ctx -> "made in a notebook cell");
        }
        try (Queuack queue = Queuack.open(file)) {
            Job job = queue.job(lambda).orElseThrow();
            assertEquals(JobStatus.ORPHANED, job.status());
            assertTrue(job.error().message().contains("register a named task"), job.error().message());
            assertEquals(List.of(lambda), queue.deadLetters(5).stream().map(Job::id).toList());
            IllegalJobStateException refused = assertThrows(IllegalJobStateException.class, () -> queue.retry(lambda));
            assertTrue(refused.getMessage().contains("lambda no longer exists"), refused.getMessage());
        }
    }

    @Test
    void jobsLeftRunningByADeadProcessRunAgain() {
        Path file = dir.resolve("jobs.duckdb");
        long id;
        try (Queuack queue = Queuack.open(file)) {
            queue.register("work", ctx -> "done");
            id = queue.enqueue("work");
        }
        try (Storage store = DuckDbStorage.open(file)) {
            Instant now = Instant.now();
            store.cycle(CycleRequest.of("process-that-will-crash", "s", now).leaseUntil(now.plusSeconds(3600))
                    .claims(List.of(new QueueClaim("default", 1)), Set.of("work"), Set.of()).build());
            store.cycle(CycleRequest.of("process-that-will-crash", "s", now).leaseUntil(now.plusSeconds(3600))
                    .started(List.of(id)).build());
        }
        try (Queuack queue = Queuack.open(file)) {
            Job recovered = queue.job(id).orElseThrow();
            assertEquals(JobStatus.FAILED, recovered.status(), "recovered at open, without waiting for the lease");
            assertEquals("io.queuack.WorkerLost", recovered.error().type());
            AtomicInteger runs = new AtomicInteger();
            queue.register("work", ctx -> runs.incrementAndGet());
            try (WorkerPool pool = queue.workers().start()) {
                assertEquals(2, Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED).attempts());
            }
            assertEquals("io.queuack.WorkerLost", queue.attempts(id).get(0).error().type(),
                    "the attempt lost with the crashed process is kept");
            assertEquals(1, runs.get());
        }
    }

    @Test
    void theQueueFileKeepsEverythingAcrossManyOpens() {
        Path file = dir.resolve("jobs.duckdb");
        for (int round = 1; round <= 3; round++) {
            try (Queuack queue = Queuack.open(file)) {
                queue.register("noop", ctx -> null);
                queue.enqueueAll("noop", Collections.nCopies(100, null));
                try (WorkerPool pool = queue.workers().start()) {
                    assertTrue(pool.awaitIdle(Waits.LONG));
                }
                assertEquals(100L * round, queue.stats("default").count(JobStatus.SUCCEEDED));
            }
        }
    }
}
