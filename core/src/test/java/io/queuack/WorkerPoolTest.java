package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.BackpressureException;
import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.WorkerInfo;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.Storage;
import io.queuack.storage.duckdb.DuckDbStorage;
import io.queuack.storage.memory.MemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Worker pools: parallelism, graceful shutdown, leases and heartbeats, back-pressure. */
class WorkerPoolTest extends QueueTestBase {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void workersRunJobsInParallel(Backend backend) {
        Queuack queue = open(backend);
        CyclicBarrier allFour = new CyclicBarrier(4);
        queue.register("meet", ctx -> allFour.await(20, TimeUnit.SECONDS));
        List<Long> ids = queue.enqueueAll("meet", Collections.nCopies(4, null));
        closeLater(queue.workers().concurrency(4).start());
        ids.forEach(id -> Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theRegistryListsThisSessionsRunningPools(Backend backend) {
        Queuack queue = open(backend);
        assertEquals(List.of(), queue.workerPools());
        WorkerPool pool = closeLater(queue.workers().concurrency(3).queue("default", 2).queue("images", 1).start());
        List<WorkerInfo> pools = queue.workerPools();
        assertEquals(1, pools.size());
        WorkerInfo info = pools.get(0);
        assertEquals(pool.id(), info.id());
        assertEquals(ProcessHandle.current().pid(), info.pid());
        assertEquals("default×2, images×1", info.queues());
        assertEquals(3, info.concurrency());
        assertEquals(WorkerInfo.State.ACTIVE, info.state(Instant.now()));
        pool.close();
        assertEquals(List.of(), queue.workerPools(), "a stopped pool leaves the list of a store of one process");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void closingWaitsForRunningJobsWithinTheGrace(Backend backend) throws InterruptedException {
        Queuack queue = open(backend);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        queue.register("slow", ctx -> {
            started.countDown();
            Waits.await(release);
            return "finished";
        });
        long id = queue.enqueue("slow");
        WorkerPool pool = queue.workers().shutdownGrace(Duration.ofSeconds(20)).start();
        Waits.await(started);
        Thread closer = new Thread(pool::close);
        closer.start();
        Waits.until("close waits for the running job", () -> closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.WAITING);
        assertEquals(JobStatus.RUNNING, queue.job(id).orElseThrow().status());
        release.countDown();
        closer.join(Waits.LONG.toMillis());
        assertFalse(closer.isAlive());
        assertEquals(JobStatus.SUCCEEDED, queue.job(id).orElseThrow().status(), "the outcome is stored before close returns");
        assertTrue(pool.isClosed());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void afterTheGraceRunningJobsAreInterruptedAndGiveTheirAttemptBack(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        queue.register("block", ctx -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return null;
        });
        List<Long> ids = queue.enqueueAll("block", Collections.nCopies(5, null));
        WorkerPool pool = queue.workers().concurrency(1).start();
        Waits.await(started);
        long before = System.nanoTime();
        pool.close(Duration.ofMillis(200));
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(10), "close does not wait for the task");
        Waits.until("the running task saw the interrupt", () -> interrupted.get() == 1);
        for (long id : ids) {
            Job job = queue.job(id).orElseThrow();
            assertEquals(JobStatus.PENDING, job.status(), job.summary());
            assertEquals(0, job.attempts(), "an interrupted or unstarted attempt is given back");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void closingFromAnInterruptedThreadStopsAtOnceAndStillStoresEveryOutcome(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch started = new CountDownLatch(1);
        queue.register("block", ctx -> {
            started.countDown();
            Thread.sleep(60_000);
            return null;
        });
        List<Long> ids = queue.enqueueAll("block", Collections.nCopies(3, null));
        WorkerPool pool = queue.workers().concurrency(1).shutdownGrace(Duration.ofMinutes(5)).start();
        Waits.await(started);
        Thread.currentThread().interrupt();
        long before = System.nanoTime();
        pool.close();
        boolean stillInterrupted = Thread.interrupted();
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(10), "no grace for an interrupted caller");
        assertTrue(stillInterrupted, "the caller's interrupt flag is left set");
        for (long id : ids) {
            Job job = queue.job(id).orElseThrow();
            assertEquals(JobStatus.PENDING, job.status(), "stored before close returned: " + job.summary());
            assertEquals(0, job.attempts(), job.summary());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aJobWhoseWorkerDiedIsClaimedAgainAfterItsLease(Backend backend) {
        Storage store = backend == Backend.MEMORY ? new MemoryStorage() : DuckDbStorage.open(dir.resolve("lease.duckdb"));
        TestClock clock = new TestClock();
        Queuack queue = open(backend, b -> b.storage(() -> store).clock(clock));
        AtomicInteger runs = new AtomicInteger();
        queue.register("work", ctx -> runs.incrementAndGet());
        long id = queue.enqueue("work");
        Instant now = clock.instant();
        store.cycle(CycleRequest.of("a-worker-that-died", "other-session", now).leaseUntil(now.plusMillis(500))
                .claims(List.of(new QueueClaim("default", 1)), Set.of("work"), Set.of()).build());
        store.cycle(CycleRequest.of("a-worker-that-died", "other-session", now).leaseUntil(now.plusMillis(500))
                .started(List.of(id)).build());
        assertEquals(JobStatus.RUNNING, queue.job(id).orElseThrow().status());
        WorkerPool pool = closeLater(queue.workers().pollInterval(Duration.ofMillis(10)).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(JobStatus.RUNNING, queue.job(id).orElseThrow().status(), "its lease has not run out");
        clock.advance(Duration.ofSeconds(1));
        Job job = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertEquals(1, runs.get());
        assertEquals(2, job.attempts(), "the dead worker's attempt counts");
        assertEquals("io.queuack.LeaseExpired", job.error().type());
        assertEquals(clock.instant(), job.startedAt(), "recovered at the pool's next maintenance, once a second");
        List<Attempt> attempts = queue.attempts(id);
        assertEquals(List.of(JobStatus.FAILED, JobStatus.SUCCEEDED), attempts.stream().map(Attempt::status).toList());
        assertEquals("io.queuack.LeaseExpired", attempts.get(0).error().type(), "the lost attempt is kept");
        assertEquals("a-worker-that-died", attempts.get(0).worker());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLongJobThatIsAliveKeepsItsLease(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger runs = new AtomicInteger();
        queue.register("long", ctx -> {
            runs.incrementAndGet();
            Thread.sleep(4_000);
            return null;
        });
        long id = queue.enqueue("long");
        closeLater(queue.workers().visibilityTimeout(Duration.ofSeconds(2)).start());
        Waits.until("the job started", () -> runs.get() == 1);
        closeLater(queue.workers().visibilityTimeout(Duration.ofSeconds(2)).start());
        Job job = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertEquals(1, runs.get(), "a second pool never took the job over");
        assertEquals(1, job.attempts());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void awaitIdleTellsWhetherWorkRemains(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch release = new CountDownLatch(1);
        queue.register("gate", ctx -> {
            release.await();
            return null;
        });
        queue.enqueue("gate");
        WorkerPool pool = closeLater(queue.workers().start());
        assertFalse(pool.awaitIdle(Duration.ofMillis(200)));
        release.countDown();
        assertTrue(pool.awaitIdle(Waits.LONG));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void backpressureRejectsOverTheLimitAndKeepsWhatWasStored(Backend backend) {
        Queuack queue = open(backend, b -> b.backpressure(Backpressure.warnAt(3).rejectAbove(5)));
        queue.register("noop", ctx -> null);
        queue.enqueueAll("noop", Collections.nCopies(5, null));
        BackpressureException full = assertThrows(BackpressureException.class, () -> queue.enqueue("noop"));
        assertEquals(5, full.waiting());
        assertTrue(full.getMessage().contains("limit of 5"), full.getMessage());
        assertThrows(BackpressureException.class, () -> queue.enqueueAll("noop", Collections.nCopies(6, null)),
                "a batch larger than the limit never fits");
        assertEquals(5, queue.stats("default").count(JobStatus.PENDING));
        queue.enqueue("noop", null, JobOptions.defaults().queue("other"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void backpressureBlocksUntilWorkersMakeRoom(Backend backend) throws Exception {
        Queuack queue = open(backend, b -> b.backpressure(Backpressure.warnAt(2).blockAbove(3, Duration.ofSeconds(20))));
        queue.register("noop", ctx -> null);
        queue.enqueueAll("noop", Collections.nCopies(3, null));
        Thread producer = new Thread(() -> queue.enqueue("noop"));
        producer.start();
        Waits.until("the fourth enqueue waits for room", () -> producer.getState() == Thread.State.TIMED_WAITING);
        assertEquals(3, queue.stats("default").total(), "nothing stored while it waits");
        closeLater(queue.workers().start());
        producer.join(20_000);
        assertFalse(producer.isAlive());
        assertEquals(4, queue.stats("default").total());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void backpressureGivesUpAfterTheMaximumWait(Backend backend) {
        Queuack queue = open(backend, b -> b.backpressure(Backpressure.warnAt(1).blockAbove(1, Duration.ofMillis(200))));
        queue.register("noop", ctx -> null);
        queue.enqueue("noop");
        BackpressureException full = assertThrows(BackpressureException.class, () -> queue.enqueue("noop"));
        assertTrue(full.getMessage().contains("waited PT0.2S"), full.getMessage());
        assertEquals(1, queue.stats("default").total());
    }
}
