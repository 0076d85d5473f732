package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobRequest;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which job runs when: priorities, delays, time-to-live, pausing, weighted queues, idempotency keys. */
class SchedulingTest extends QueueTestBase {

    /** How often pools look at the test clock. */
    private static final Duration POLL = Duration.ofMillis(10);

    @ParameterizedTest
    @EnumSource(Backend.class)
    void higherPriorityRunsFirst(Backend backend) {
        Queuack queue = open(backend);
        List<Integer> order = new CopyOnWriteArrayList<>();
        queue.register("record", Integer.class, (ctx, priority) -> order.add(priority));
        for (int priority : new int[] {10, 90, 50, 100, 0, 50}) {
            queue.enqueue("record", priority, JobOptions.defaults().priority(priority));
        }
        WorkerPool pool = closeLater(queue.workers().concurrency(1).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(List.of(100, 90, 50, 50, 10, 0), order);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void delayedJobsWaitForTheirTime(Backend backend) {
        TestClock clock = new TestClock();
        Queuack queue = open(backend, builder -> builder.clock(clock));
        queue.register("noop", ctx -> null);
        long delayed = queue.enqueue("noop", null, JobOptions.defaults().delay(Duration.ofHours(1)));
        assertEquals(1, queue.stats("default").scheduled());
        WorkerPool pool = closeLater(queue.workers().pollInterval(POLL).start());
        long now = queue.enqueue("noop");
        Waits.awaitStatus(queue, now, JobStatus.SUCCEEDED);
        clock.advance(Duration.ofHours(1).minusNanos(1000));
        assertTrue(pool.awaitIdle(Waits.LONG), "a microsecond early, nothing is due");
        assertEquals(JobStatus.PENDING, queue.job(delayed).orElseThrow().status());
        clock.advance(Duration.ofNanos(1000));
        Job job = Waits.awaitStatus(queue, delayed, JobStatus.SUCCEEDED);
        assertEquals(TestClock.START.plus(Duration.ofHours(1)), job.startedAt(), "it started when it became due");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void jobsNotStartedWithinTheirTimeToLiveExpire(Backend backend) {
        TestClock clock = new TestClock();
        Queuack queue = open(backend, builder -> builder.clock(clock));
        queue.register("noop", ctx -> null);
        queue.pause("slow");
        long id = queue.enqueue("noop", null, JobOptions.defaults().queue("slow").ttl(Duration.ofDays(2)));
        WorkerPool pool = closeLater(queue.workers().queue("slow").pollInterval(POLL).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(JobStatus.PENDING, queue.job(id).orElseThrow().status(), "within its time to live");
        clock.advance(Duration.ofDays(2));
        Job expired = Waits.awaitStatus(queue, id, JobStatus.EXPIRED);
        assertEquals(TestClock.START.plus(Duration.ofDays(2)), expired.finishedAt());
        assertEquals("io.queuack.Expired", expired.error().type());
        queue.resume("slow");
        assertEquals(0, queue.stats("slow").count(JobStatus.SUCCEEDED));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pausedQueuesWaitUntilResumed(Backend backend) {
        Queuack queue = open(backend);
        queue.register("noop", ctx -> null);
        queue.pause("reports");
        assertTrue(queue.isPaused("reports"));
        List<Long> ids = queue.enqueueAll("noop", Collections.nCopies(3, null), JobOptions.defaults().queue("reports"));
        WorkerPool pool = closeLater(queue.workers().queue("reports").start());
        assertTrue(pool.awaitIdle(Waits.LONG), "a paused queue counts as having nothing due");
        assertEquals(3, queue.stats("reports").count(JobStatus.PENDING));
        assertTrue(queue.stats("reports").paused());
        queue.resume("reports");
        for (long id : ids) {
            Waits.awaitStatus(queue, id, JobStatus.SUCCEEDED);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void weightedQueuesShareWorkersByWeight(Backend backend) {
        Queuack queue = open(backend);
        List<String> ran = new CopyOnWriteArrayList<>();
        queue.register("mark", String.class, (ctx, name) -> ran.add(name));
        queue.enqueueAll("mark", Collections.nCopies(1_000, "a"), JobOptions.defaults().queue("a"));
        queue.enqueueAll("mark", Collections.nCopies(1_000, "b"), JobOptions.defaults().queue("b"));
        WorkerPool pool = closeLater(queue.workers().concurrency(1).maxClaimBatch(8).queue("a", 3).queue("b", 1).start());
        assertTrue(pool.awaitIdle(Waits.LONG));
        assertEquals(2_000, ran.size());
        long aInFirst400 = ran.subList(0, 400).stream().filter("a"::equals).count();
        assertTrue(aInFirst400 >= 270 && aInFirst400 <= 330, "queue a (weight 3 of 4) ran " + aInFirst400 + " of 400");
        int lastB = ran.lastIndexOf("b");
        assertTrue(lastB > 1_900, "queue b is not starved: it keeps running after a drains, last at " + lastB);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void idempotencyKeysReturnTheFirstJob(Backend backend) {
        Queuack queue = open(backend);
        queue.register("charge", String.class, (ctx, order) -> "charged " + order);
        long first = queue.enqueue("charge", "order-1", JobOptions.defaults().idempotencyKey("order-1"));
        long again = queue.enqueue("charge", "order-1 again", JobOptions.defaults().idempotencyKey("order-1"));
        assertEquals(first, again);
        List<Long> batch = queue.enqueueAll(List.of(
                JobRequest.of("charge", "order-2").with(JobOptions.defaults().idempotencyKey("order-2")),
                JobRequest.of("charge", "order-1").with(JobOptions.defaults().idempotencyKey("order-1")),
                JobRequest.of("charge", "order-2 twice").with(JobOptions.defaults().idempotencyKey("order-2")),
                JobRequest.of("charge", "no key")));
        assertEquals(first, batch.get(1));
        assertEquals(batch.get(0), batch.get(2));
        assertEquals(3, queue.stats("default").total());
        closeLater(queue.workers().start());
        assertEquals("charged order-1", queue.result(Waits.awaitStatus(queue, first, JobStatus.SUCCEEDED).id(), String.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void mixedBatchesKeepRequestOrderAndOptions(Backend backend) {
        Queuack queue = open(backend);
        queue.register("a", ctx -> null);
        queue.register("b", String.class, (ctx, s) -> s);
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(i % 2 == 0 ? JobRequest.of("a", null).with(JobOptions.defaults().queue("qa").priority(70))
                    : JobRequest.of("b", "x" + i));
        }
        List<Long> ids = queue.enqueueAll(requests);
        for (int i = 0; i < 40; i++) {
            Job job = queue.job(ids.get(i)).orElseThrow();
            assertEquals(i % 2 == 0 ? "a" : "b", job.task());
            assertEquals(i % 2 == 0 ? "qa" : "default", job.queue());
            assertEquals(i % 2 == 0 ? 70 : 50, job.priority());
        }
    }
}
