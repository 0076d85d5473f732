package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.error.JobCancelledException;
import io.queuack.error.NonRetryableException;
import io.queuack.error.ResultTooLargeException;
import io.queuack.event.EnqueuedEvent;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.ProgressEvent;
import io.queuack.job.Backoff;
import io.queuack.job.IllegalJobStateException;
import io.queuack.job.Job;
import io.queuack.job.JobContext;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A job's life: run, result, retries with backoff, dead letters, timeouts, cancellation, progress, events. */
class JobLifecycleTest extends QueueTestBase {

    record Order(String customer, int items) {
    }

    record Receipt(String customer, double total) {
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void namedTaskReadsItsArgumentAndStoresItsResult(Backend backend) {
        Queuack queue = open(backend);
        queue.register("price", Order.class, (ctx, order) -> new Receipt(order.customer(), order.items() * 2.5));
        long id = queue.enqueue("price", new Order("ada", 4));
        assertEquals("{\"customer\":\"ada\",\"items\":4}", queue.job(id).orElseThrow().argumentsJson());
        closeLater(queue.workers().concurrency(2).start());
        Job job = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertEquals(new Receipt("ada", 10.0), queue.result(id, Receipt.class));
        assertEquals(1, job.attempts());
        assertFalse(job.inProcess());
        assertNotNull(job.duration());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void lambdaJobsRunInProcess(Backend backend) {
        Queuack queue = open(backend);
        String greeting = "hello";
        long id = queue.enqueue(ctx -> greeting + " from job " + ctx.jobId());
        closeLater(queue.workers().start());
        Job job = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertTrue(job.inProcess());
        assertTrue(job.task().startsWith("lambda:"));
        assertEquals("hello from job " + id, queue.result(id, String.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedAttemptsRetryAfterTheirBackoffUntilOneSucceeds(Backend backend) {
        TestClock clock = new TestClock();
        Queuack queue = open(backend, builder -> builder.clock(clock));
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        queue.register("flaky", ctx -> {
            attempts.add(ctx.attempt());
            if (ctx.attempt() < 3) {
                throw new IOException("network down, attempt " + ctx.attempt());
            }
            return "ok";
        });
        Duration backoff = Duration.ofMinutes(5);
        long id = queue.enqueue("flaky", null, JobOptions.defaults().maxAttempts(3).backoff(Backoff.fixed(backoff)));
        WorkerPool pool = closeLater(queue.workers().pollInterval(Duration.ofMillis(10)).start());
        for (int attempt = 1; attempt <= 2; attempt++) {
            int failed = attempt;
            Waits.until("attempt " + failed + " failed", () -> queue.job(id).orElseThrow().attempts() == failed
                    && queue.job(id).orElseThrow().status() == JobStatus.FAILED);
            Job waiting = queue.job(id).orElseThrow();
            assertEquals(clock.instant().plus(backoff), waiting.runAt(), "the retry is due one backoff later");
            clock.advance(backoff.minusSeconds(1));
            assertTrue(pool.awaitIdle(Waits.LONG));
            assertEquals(failed, queue.job(id).orElseThrow().attempts(), "no retry before its backoff");
            clock.advance(Duration.ofSeconds(1));
        }
        Job job = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(3, job.attempts());
        assertEquals("java.io.IOException", job.error().type(), "the last failure stays readable");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void exhaustedJobsBecomeDeadLettersThatCanBeRetried(Backend backend) {
        Queuack queue = open(backend);
        AtomicBoolean healed = new AtomicBoolean();
        queue.register("fragile", String.class, (ctx, name) -> {
            if (!healed.get()) {
                throw new IllegalStateException("cannot process " + name);
            }
            return name.toUpperCase();
        });
        long id = queue.enqueue("fragile", "x", JobOptions.defaults().maxAttempts(2).backoff(Backoff.NONE));
        closeLater(queue.workers().start());
        Job dead = Waits.awaitStatus(queue, id, JobStatus.DEAD);
        assertEquals(2, dead.attempts());
        assertEquals("java.lang.IllegalStateException", dead.error().type());
        assertEquals("cannot process x", dead.error().message());
        assertTrue(dead.error().stackTrace().contains("JobLifecycleTest"), dead.error().stackTrace());
        assertEquals(List.of(id), queue.deadLetters(10).stream().map(Job::id).toList());
        assertThrows(IllegalJobStateException.class, () -> queue.result(id, String.class));

        healed.set(true);
        queue.retry(id);
        Job retried = Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertEquals(1, retried.attempts());
        assertEquals("X", queue.result(id, String.class));
        assertTrue(queue.deadLetters(10).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nonRetryableFailuresDieAtOnce(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger runs = new AtomicInteger();
        queue.register("validate", ctx -> {
            runs.incrementAndGet();
            throw new NonRetryableException("input is invalid");
        });
        long id = queue.enqueue("validate", null, JobOptions.defaults().maxAttempts(5));
        closeLater(queue.workers().start());
        assertEquals(1, Waits.awaitStatus(queue, id, JobStatus.DEAD).attempts());
        assertEquals(1, runs.get());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void timeoutsInterruptTheTaskAndCountAsFailedAttempts(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch interrupted = new CountDownLatch(2);
        queue.register("hang", ctx -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        });
        queue.register("quick", ctx -> "done");
        long hanging = queue.enqueue("hang", null, JobOptions.defaults().timeout(Duration.ofMillis(200))
                .maxAttempts(2).backoff(Backoff.NONE));
        closeLater(queue.workers().concurrency(1).start());
        Job dead = Waits.awaitStatus(queue, hanging, JobStatus.DEAD);
        Waits.await(interrupted);
        assertEquals(2, dead.attempts());
        assertEquals("java.util.concurrent.TimeoutException", dead.error().type());
        assertTrue(dead.error().message().contains("PT0.2S"), dead.error().message());
        assertTrue(dead.error().stackTrace().contains("Thread.sleep"), "the error shows where the task hung");
        long next = queue.enqueue("quick");
        Waits.awaitStatus(queue, next, JobStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTimedOutTaskThatIgnoresInterruptsDoesNotBlockThePool(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch release = new CountDownLatch(1);
        queue.register("stubborn", ctx -> {
            while (release.getCount() > 0) {
                Thread.onSpinWait();
            }
            return null;
        });
        queue.register("quick", ctx -> "done");
        long stubborn = queue.enqueue("stubborn", null, JobOptions.defaults().timeout(Duration.ofMillis(100)).maxAttempts(1));
        closeLater(queue.workers().concurrency(1).start());
        Waits.awaitStatus(queue, stubborn, JobStatus.DEAD);
        long next = queue.enqueue("quick");
        Waits.awaitStatus(queue, next, JobStatus.SUCCEEDED);
        release.countDown();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cancellingARunningJobIsVisibleToTheTask(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch sawCancel = new CountDownLatch(1);
        queue.register("loop", ctx -> {
            started.countDown();
            try {
                while (true) {
                    ctx.throwIfCancelled();
                    Thread.sleep(5);
                }
            } catch (JobCancelledException | InterruptedException e) {
                if (ctx.isCancelled()) {
                    sawCancel.countDown();
                }
                throw e;
            }
        });
        long id = queue.enqueue("loop");
        closeLater(queue.workers().start());
        Waits.await(started);
        assertTrue(queue.cancel(id));
        Waits.await(sawCancel);
        assertEquals(JobStatus.CANCELLED, queue.job(id).orElseThrow().status());
        assertFalse(queue.cancel(id), "cancelling a finished job does nothing");
        Waits.until("the cancelled job's outcome is discarded", () -> queue.stats("default").count(JobStatus.RUNNING) == 0);
        assertEquals(JobStatus.CANCELLED, queue.job(id).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cancelledPendingJobsNeverRun(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger runs = new AtomicInteger();
        queue.register("count", ctx -> runs.incrementAndGet());
        long cancelled = queue.enqueue("count");
        long kept = queue.enqueue("count");
        assertTrue(queue.cancel(cancelled));
        closeLater(queue.workers().start());
        Waits.awaitStatus(queue, kept, JobStatus.SUCCEEDED);
        assertEquals(1, runs.get());
        assertEquals(JobStatus.CANCELLED, queue.job(cancelled).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cancelledJobsThatWereClaimedButNotStartedNeverRun(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger victimRuns = new AtomicInteger();
        queue.register("noop", ctx -> null);
        queue.register("blocker", ctx -> {
            release.await();
            return null;
        });
        queue.register("victim", ctx -> victimRuns.incrementAndGet());
        queue.enqueueAll("noop", Collections.nCopies(3_000, null));
        long blocker = queue.enqueue("blocker", null, JobOptions.defaults().priority(10));
        List<Long> victims = queue.enqueueAll("victim", Collections.nCopies(20, null), JobOptions.defaults().priority(5));
        closeLater(queue.workers().concurrency(1).start());
        Waits.until("the blocker runs and victims wait claimed in the pool's buffer", () ->
                queue.job(blocker).orElseThrow().status() == JobStatus.RUNNING
                        && victims.stream().anyMatch(id -> queue.job(id).orElseThrow().status() == JobStatus.RUNNING));
        victims.forEach(id -> assertTrue(queue.cancel(id)));
        release.countDown();
        Waits.awaitStatus(queue, blocker, JobStatus.SUCCEEDED);
        Waits.until("the pool settles", () -> queue.stats("default").count(JobStatus.RUNNING) == 0);
        assertEquals(0, victimRuns.get(), "a cancelled job never starts");
        victims.forEach(id -> assertEquals(JobStatus.CANCELLED, queue.job(id).orElseThrow().status()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void progressReachesListenersAtOnceAndStorageSoon(Backend backend) {
        Queuack queue = open(backend);
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        closeLater(queue.listen(new JobListener() {
            @Override
            public void onProgress(ProgressEvent event) {
                progress.add(event);
            }
        }));
        CountDownLatch finish = new CountDownLatch(1);
        queue.register("steps", ctx -> {
            ctx.progress(0.25, "a quarter");
            ctx.progress(0.5, "half way");
            Waits.await(finish);
            return null;
        });
        long id = queue.enqueue("steps");
        closeLater(queue.workers().start());
        Waits.until("two progress events", () -> progress.size() == 2);
        assertEquals(0.5, progress.get(1).progress());
        assertEquals("half way", progress.get(1).message());
        Waits.until("progress is stored", () -> queue.job(id).orElseThrow().progress() == 0.5);
        assertEquals("half way", queue.job(id).orElseThrow().message());
        finish.countDown();
        assertEquals(1.0, Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED).progress());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void listenersSeeEveryStatusChangeInOrder(Backend backend) {
        Queuack queue = open(backend);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<EnqueuedEvent> enqueued = new CopyOnWriteArrayList<>();
        closeLater(queue.listen(new JobListener() {
            @Override
            public void onEnqueued(EnqueuedEvent event) {
                enqueued.add(event);
            }

            @Override
            public void onStatusChanged(JobEvent event) {
                seen.add(event.from() + ">" + event.to() + "#" + event.attempt());
            }
        }));
        queue.register("once-failing", ctx -> {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("first try fails");
            }
            return null;
        });
        long id = queue.enqueue("once-failing", null, JobOptions.defaults().backoff(Backoff.NONE));
        closeLater(queue.workers().start());
        Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        Waits.until("four status events", () -> seen.size() == 4);
        assertEquals(List.of("PENDING>RUNNING#1", "RUNNING>FAILED#1", "FAILED>RUNNING#2", "RUNNING>SUCCEEDED#2"), seen);
        assertEquals(List.of(id), enqueued.get(0).ids());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aThrowingListenerDoesNotHurtJobsOrOtherListeners(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger calm = new AtomicInteger();
        closeLater(queue.listen(new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                throw new IllegalStateException("listener bug");
            }
        }));
        closeLater(queue.listen(new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                calm.incrementAndGet();
            }
        }));
        queue.register("noop", ctx -> null);
        long id = queue.enqueue("noop");
        closeLater(queue.workers().start());
        Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        Waits.until("the calm listener saw both changes", () -> calm.get() == 2);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theContextIsReachableFromHelperCode(Backend backend) {
        Queuack queue = open(backend);
        AtomicReference<JobContext> fromHelper = new AtomicReference<>();
        AtomicReference<JobContext> given = new AtomicReference<>();
        queue.register("helper", ctx -> {
            given.set(ctx);
            fromHelper.set(JobContext.current().orElseThrow());
            return null;
        });
        long id = queue.enqueue("helper");
        closeLater(queue.workers().start());
        Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        assertSame(given.get(), fromHelper.get());
        assertTrue(JobContext.current().isEmpty(), "no context outside a job");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void resultsOverTheLimitFailAtOnceAndPointToStreaming(Backend backend) {
        Queuack queue = open(backend, b -> b.maxResultBytes(100));
        queue.register("big", ctx -> Collections.nCopies(100, "0123456789"));
        long id = queue.enqueue("big", null, JobOptions.defaults().maxAttempts(3));
        closeLater(queue.workers().start());
        Job dead = Waits.awaitStatus(queue, id, JobStatus.DEAD);
        assertEquals(1, dead.attempts());
        assertEquals(ResultTooLargeException.class.getName(), dead.error().type());
        assertTrue(dead.error().message().contains("queuack-arrow"), dead.error().message());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unserialisableResultsFailWithTheirType(Backend backend) {
        Queuack queue = open(backend);
        queue.register("thread", ctx -> new Object());
        long id = queue.enqueue("thread");
        closeLater(queue.workers().start());
        Job dead = Waits.awaitStatus(queue, id, JobStatus.DEAD);
        assertTrue(dead.error().message().contains("java.lang.Object"), dead.error().message());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void manyJobsOfManyShapesAllFinish(Backend backend) {
        Queuack queue = open(backend);
        queue.register("square", Integer.class, (ctx, n) -> n * n);
        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            inputs.add(i);
        }
        List<Long> ids = queue.enqueueAll("square", inputs);
        WorkerPool pool = closeLater(queue.workers().concurrency(4).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(Map.of(JobStatus.SUCCEEDED, 5_000L), nonZero(queue.stats("default")));
        assertEquals(4_999 * 4_999, queue.result(ids.get(4_999), Integer.class));
    }

    static Map<JobStatus, Long> nonZero(QueueStats stats) {
        Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
        stats.counts().forEach((status, count) -> {
            if (count > 0) {
                counts.put(status, count);
            }
        });
        return counts;
    }
}
