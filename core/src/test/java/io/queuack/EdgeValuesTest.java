package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.job.Backoff;
import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.Limits;
import io.queuack.job.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Times and durations at the edges, on all three stores: every setter of a stored value refuses what the
 * stores cannot hold and names {@link Limits}; values at the limits are stored and run; waits of any length
 * work; a task whose exception cannot even be printed ends its job and leaves the worker alive.
 */
class EdgeValuesTest extends QueueTestBase {

    /** The three stores. */
    enum Store {
        MEMORY(dir -> Queuack.builder().inMemory()),
        DUCKDB_MEMORY(dir -> Queuack.builder().duckdbInMemory()),
        DUCKDB_FILE(dir -> Queuack.builder().duckdb(dir.resolve("edges.duckdb")));

        private final java.util.function.Function<Path, QueuackBuilder> builder;

        Store(java.util.function.Function<Path, QueuackBuilder> builder) {
            this.builder = builder;
        }

        QueuackBuilder builder(Path dir) {
            return builder.apply(dir);
        }
    }

    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static final Duration PAST_LIMIT = Limits.MAX_DURATION.plusDays(1);

    /** A clock the test sets; it never moves by itself. */

    private Queuack open(Store store, UnaryOperator<QueuackBuilder> configure) {
        return closeLater(configure.apply(store.builder.apply(dir)).open());
    }

    private static void refused(Executable call, String... mentions) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, call);
        for (String text : mentions) {
            assertTrue(thrown.getMessage().contains(text), "message should mention '" + text + "': " + thrown.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void settersOfStoredValuesNameTheirLimit(Store store) {
        Queuack queue = open(store, UnaryOperator.identity());
        queue.register("echo", String.class, (ctx, s) -> s);
        JobOptions options = JobOptions.defaults();
        for (Duration bad : List.of(HUGE, PAST_LIMIT, Duration.ofDays(365L * 300))) {
            refused(() -> options.delay(bad), "delay", "36500 days", "Limits.MAX_DURATION");
            refused(() -> options.timeout(bad), "timeout", "36500 days");
            refused(() -> options.ttl(bad), "ttl", "36500 days");
            refused(() -> Backoff.fixed(bad), "Backoff", "36500 days");
            refused(() -> Backoff.exponential(Duration.ZERO, 2, bad, 0), "Backoff max wait", "36500 days");
            refused(() -> queue.purge(bad, JobStatus.SUCCEEDED), "olderThan", "36500 days");
            refused(() -> Dag.builder("edge").task("t", ctx -> 1).timeout(bad), "timeout", "36500 days");
        }
        refused(() -> options.runAt(Instant.MAX), "runAt", "9999-12-31", "Limits.LATEST_TIME");
        refused(() -> queue.workers().visibilityTimeout(HUGE), "visibilityTimeout", "PT24H");
        refused(() -> queue.workers().shutdownGrace(HUGE), "shutdownGrace", "PT24H");
        refused(() -> queue.workers().pollInterval(HUGE), "pollInterval", "PT1H");
        refused(() -> RunOptions.defaults().timeout(Duration.ofSeconds(-1)), "Run timeout must be positive");
        refused(() -> options.runAt(Limits.LATEST_TIME.plusNanos(1000)), "runAt", "Limits.LATEST_TIME");
        refused(() -> queue.await(1, Duration.ofSeconds(-1)), "timeout", "zero or more");
        assertEquals(0, queue.jobs(JobQuery.all()).size(), "nothing was stored");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void valuesAtTheLimitsAreStoredAndRun(Store store) {
        Queuack queue = open(store, UnaryOperator.identity());
        queue.register("echo", String.class, (ctx, s) -> s);
        long longest = queue.enqueue("echo", "longest", JobOptions.defaults().timeout(Limits.MAX_DURATION)
                .ttl(Limits.MAX_DURATION).backoff(Backoff.fixed(Limits.MAX_DURATION)));
        long delayed = queue.enqueue("echo", "delayed", JobOptions.defaults().delay(Limits.MAX_DURATION));
        long latest = queue.enqueue("echo", "latest", JobOptions.defaults().runAt(Limits.LATEST_TIME));
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(longest, HUGE).status(), "a 100-year timeout runs the job");
            assertTrue(pool.awaitIdle(HUGE), "a wait of Long.MAX_VALUE seconds returns once idle");
            pool.close(HUGE);
        }
        assertEquals(JobStatus.PENDING, queue.job(delayed).orElseThrow().status());
        assertEquals(Limits.LATEST_TIME.truncatedTo(ChronoUnit.MICROS), queue.job(latest).orElseThrow().runAt());
        assertEquals(1, queue.purge(Limits.MAX_DURATION.minusDays(1), JobStatus.SUCCEEDED) + queue.purge(Duration.ZERO,
                JobStatus.SUCCEEDED), "purge at the edge");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aBackoffPastTheLastStorableTimeIsCappedAndOtherJobsGoOn(Store store) {
        TestClock clock = new TestClock(Limits.LATEST_TIME.minus(Duration.ofDays(1)));
        Queuack queue = open(store, builder -> builder.clock(clock));
        queue.register("fail", String.class, (ctx, s) -> {
            throw new IllegalStateException("fails " + s);
        });
        queue.register("echo", String.class, (ctx, s) -> s);
        long failing = queue.enqueue("fail", "x", JobOptions.defaults().maxAttempts(2)
                .backoff(Backoff.fixed(Limits.MAX_DURATION)));
        long fine = queue.enqueue("echo", "y");
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(fine, Waits.LONG).status());
            Waits.awaitStatus(queue, failing, JobStatus.FAILED);
        }
        assertEquals(Limits.LATEST_TIME.truncatedTo(ChronoUnit.MICROS), queue.job(failing).orElseThrow().runAt(),
                "the retry is due at the last storable time");
        long after = queue.enqueue("echo", "z");
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(after, Waits.LONG).status(), "later outcomes are stored");
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anEnqueueThatWaitsForRoomWithoutEndGetsItWhenRoomIsMade(Store store) throws Exception {
        Queuack queue = open(store, builder -> builder.backpressure(Backpressure.unbounded().blockAbove(1, HUGE)));
        queue.register("echo", String.class, (ctx, s) -> s);
        queue.enqueue("echo", "first");
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> queue.enqueue("echo", "second"));
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            long id = second.get(Waits.LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status());
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void waitsOfAnyLengthWork(Store store) {
        Queuack queue = open(store, UnaryOperator.identity());
        Dag dag = Dag.builder("edge-wait").task("one", ctx -> 1).build();
        DagRun run = queue.run(dag, RunOptions.defaults().timeout(HUGE));
        assertEquals(RunStatus.SUCCEEDED, run.await(HUGE));
        assertEquals(RunStatus.SUCCEEDED, queue.run(dag, RunOptions.defaults().timeout(Limits.MAX_DURATION)).status());
    }

    /** An exception whose message and text cannot be read. */
    static final class Unprintable extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("no text either");
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anExceptionThatCannotBePrintedEndsItsJobAndTheWorkerGoesOn(Store store) {
        Queuack queue = open(store, UnaryOperator.identity());
        queue.register("unprintable", String.class, (ctx, s) -> {
            throw new Unprintable();
        });
        queue.register("echo", String.class, (ctx, s) -> s);
        long bad = queue.enqueue("unprintable", "x", JobOptions.defaults().maxAttempts(1));
        long next = queue.enqueue("echo", "after");
        try (WorkerPool pool = queue.workers().concurrency(1).start()) {
            assertEquals(JobStatus.SUCCEEDED, queue.await(next, Waits.LONG).status(), "the only worker is alive");
        }
        Job dead = queue.job(bad).orElseThrow();
        assertEquals(JobStatus.DEAD, dead.status());
        assertEquals(Unprintable.class.getName(), dead.error().type());
        assertTrue(dead.error().message().contains("getMessage() threw"), dead.error().message());
        assertTrue(dead.error().stackTrace().contains("EdgeValuesTest"), dead.error().stackTrace());
    }
}
