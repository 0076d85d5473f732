package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.LimitHold;
import io.queuack.job.LimitState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Limits on real worker pools: counted outside the queue, by the tasks themselves, a limit of N is never exceeded
 * however many pools and threads claim; a held job says why; a start window lets starts through as the clock moves.
 */
class LimitsTest extends QueueTestBase {

    /** Counts the tasks of one subject running at once, and the most seen. */
    private static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        void enter() {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        /**
         * Enters and stays until {@code together} tasks are in at once (or half a second passed): if the limit lets
         * that many run, they meet; it is never a reason to let more in.
         */
        void enterAndMeet(int together) {
            enter();
            long until = System.nanoTime() + 500_000_000L;
            while (now.get() < together && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    /** Work that takes a little while, without sleeping: the test's clock is the queue's, not this. */
    private static void busy() {
        long until = System.nanoTime() + 2_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLimitOfNIsNeverExceededWithManyWorkers(Backend backend) {
        Queuack queue = open(backend);
        Gauge task = new Gauge();
        Map<String, Gauge> perAccount = new ConcurrentHashMap<>();
        Gauge everything = new Gauge();
        queue.register("work", Integer.class, (ctx, n) -> {
            task.enterAndMeet(3);
            everything.enter();
            busy();
            everything.leave();
            task.leave();
            return n;
        });
        queue.register("sync", String.class, (ctx, account) -> {
            Gauge gauge = perAccount.computeIfAbsent(account, a -> new Gauge());
            gauge.enter();
            everything.enter();
            busy();
            everything.leave();
            gauge.leave();
            return account;
        });
        queue.limits().set(JobLimit.task("work").maxRunning(3));
        queue.limits().set(JobLimit.key("account-*").maxRunning(1));
        List<Long> ids = new ArrayList<>(queue.enqueueAll("work", java.util.stream.IntStream.range(0, 300).boxed().toList()));
        for (int account = 0; account < 5; account++) {
            String key = "account-" + account;
            ids.addAll(queue.enqueueAll("sync", java.util.Collections.nCopies(30, key),
                    JobOptions.defaults().limitKey(key)));
        }
        List<WorkerPool> pools = List.of(closeLater(queue.workers().concurrency(8).start()),
                closeLater(queue.workers().concurrency(8).start()), closeLater(queue.workers().concurrency(8).start()));
        for (long id : ids) {
            Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        }
        assertEquals(3, task.most.get(), "the task limit is reached and never passed");
        assertEquals(5, perAccount.size());
        perAccount.forEach((account, gauge) -> assertEquals(1, gauge.most.get(), account + " runs one at a time"));
        assertTrue(everything.most.get() > 3, "unlimited by the task limit, accounts ran beside it: "
                + everything.most.get());
        pools.forEach(pool -> assertTrue(pool.awaitIdle(Waits.LONG)));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPoolIsIdleOnlyOnceEveryKeyedJobOfALongBacklogRan(Backend backend) {
        Queuack queue = open(backend);
        queue.register("noop", ctx -> null);
        queue.limits().set(JobLimit.key("k-*").maxRunning(1));
        for (int key = 0; key < 20; key++) {
            queue.enqueueAll("noop", java.util.Collections.nCopies(100, null), JobOptions.defaults().limitKey("k-" + key));
        }
        WorkerPool pool = closeLater(queue.workers().concurrency(4).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(2_000, queue.stats("default").count(JobStatus.SUCCEEDED), queue.stats("default").summary());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aHeldJobSaysWhichLimitHoldsItAndStartsWhenThereIsRoom(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        queue.register("send", ctx -> {
            started.countDown();
            Waits.await(release);
            return null;
        });
        queue.limits().set(JobLimit.queue("mail").maxRunning(1));
        JobOptions mail = JobOptions.defaults().queue("mail");
        long first = queue.enqueue("send", null, mail);
        long second = queue.enqueue("send", null, mail);
        WorkerPool pool = closeLater(queue.workers().queue("mail").concurrency(4).start());
        Waits.await(started);
        Waits.until("the second job is held", () -> !queue.limits().why(second).isEmpty());
        List<LimitHold> holds = queue.limits().why(second);
        assertEquals("limit queue:mail (one at a time): 1 running", holds.get(0).describe());
        assertEquals(JobStatus.PENDING, queue.job(second).orElseThrow().status());
        assertTrue(queue.limits().why(first).isEmpty(), "a running job is not held");
        LimitState state = queue.limits().states().get(0);
        assertEquals(1, state.running());
        assertTrue(state.full());
        release.countDown();
        Waits.awaitStatus(queue, second, JobStatus.SUCCEEDED);
        assertTrue(pool.awaitIdle(Waits.LONG));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStartWindowLetsStartsThroughAsTheClockMoves(Backend backend) {
        TestClock clock = new TestClock();
        Queuack queue = open(backend, builder -> builder.clock(clock));
        AtomicInteger calls = new AtomicInteger();
        queue.register("call", ctx -> calls.incrementAndGet());
        queue.limits().set(JobLimit.task("call").maxStarts(2, Duration.ofMinutes(1)));
        List<Long> ids = queue.enqueueAll("call", java.util.Collections.nCopies(5, null));
        closeLater(queue.workers().concurrency(4).pollInterval(Duration.ofMillis(10)).start());
        Waits.awaitStatus(queue, ids.get(1), JobStatus.SUCCEEDED);
        Waits.until("the third start is held by the window", () -> !queue.limits().why(ids.get(2)).isEmpty());
        LimitHold hold = queue.limits().why(ids.get(2)).get(0);
        assertEquals(clock.instant().plus(Duration.ofSeconds(61)), hold.nextStartAt(), "a minute after its 1 s bucket");
        assertTrue(hold.describe().contains("at most 2 starts per minute"), hold.describe());
        assertEquals(2, calls.get());
        clock.advance(Duration.ofSeconds(61));
        Waits.awaitStatus(queue, ids.get(3), JobStatus.SUCCEEDED);
        assertEquals(JobStatus.PENDING, queue.job(ids.get(4)).orElseThrow().status());
        clock.advance(Duration.ofSeconds(61));
        Waits.awaitStatus(queue, ids.get(4), JobStatus.SUCCEEDED);
        assertEquals(5, calls.get());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theTasksOfADagShareAKeyLikeAPool(Backend backend) {
        Queuack queue = open(backend);
        Gauge warehouse = new Gauge();
        io.queuack.dag.DagBuilder builder = io.queuack.dag.Dag.builder("loads")
                .defaults(JobOptions.defaults().limitKey("warehouse"));
        for (int i = 0; i < 8; i++) {
            builder.task("load-" + i, ctx -> {
                warehouse.enterAndMeet(2);
                busy();
                warehouse.leave();
                return null;
            });
        }
        queue.limits().set(JobLimit.key("warehouse").maxRunning(2));
        DagRun run = queue.run(builder.build(), io.queuack.dag.RunOptions.defaults().workers(8));
        assertEquals(io.queuack.job.RunStatus.SUCCEEDED, run.status());
        assertEquals(2, warehouse.most.get(), "two loads at once, never more");
    }

    @Test
    void aLimitDamagedInTheFileIsPassedOverAndJobsStillRun() throws Exception {
        java.nio.file.Path file = dir.resolve("damaged.duckdb");
        try (Queuack queue = Queuack.open(file)) {
            queue.limits().set(JobLimit.queue("default").maxRunning(1));
        }
        try (java.sql.Connection sql = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
             java.sql.Statement statement = sql.createStatement()) {
            statement.execute("UPDATE job_limits SET max_running = 0, max_starts = -5");
        }
        try (Queuack queue = Queuack.open(file)) {
            queue.register("work", ctx -> 1);
            long id = queue.enqueue("work");
            assertEquals(List.of(), queue.limits().list(), "the damaged limit is not read");
            try (WorkerPool pool = queue.workers().start()) {
                Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
            }
        }
    }

    @Test
    void badLimitsAreRefusedWithTheRule() {
        Queuack queue = open(Backend.MEMORY);
        assertEquals("Limit task:t bounds nothing: give it maxRunning(n) and/or maxStarts(m, window)",
                assertThrows(IllegalArgumentException.class, () -> queue.limits().set(JobLimit.task("t"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> JobLimit.queue("q").maxRunning(0));
        assertThrows(IllegalArgumentException.class, () -> JobLimit.queue("q").maxStarts(1, Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> JobLimit.queue("q").maxStarts(1, Duration.ofDays(2)));
        assertThrows(IllegalArgumentException.class, () -> JobLimit.key("a*b"));
        assertThrows(IllegalArgumentException.class, () -> JobLimit.key(" "));
        assertThrows(IllegalArgumentException.class, () -> JobLimit.queue("bad queue"));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.defaults().limitKey("account-*"));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.defaults().limitKey("x".repeat(256)));
        assertThrows(io.queuack.error.JobNotFoundException.class, () -> queue.limits().why(12345));
        assertEquals("key:account-* (one at a time, at most 10 starts per 90 s, per key)",
                JobLimit.key("account-*").maxRunning(1).maxStarts(10, Duration.ofSeconds(90)).toString());
    }
}
