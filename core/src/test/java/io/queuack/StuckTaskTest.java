package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Backoff;
import io.queuack.job.Job;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task that ignores its interrupt keeps its thread after its pool gave the attempt back, or after its
 * timeout: the job's next attempt in this JVM waits until that code returns. One execution of a job at a time.
 */
class StuckTaskTest extends QueueTestBase {

    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);

    /** Runs until {@link #letGo}, ignoring interrupts; counts how many run at once. */
    private Queuack withStubbornTask(Backend backend) {
        Queuack queue = open(backend);
        queue.register("stubborn", String.class, (ctx, s) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            starts.incrementAndGet();
            started.countDown();
            try {
                while (true) {
                    try {
                        letGo.await();
                        break;
                    } catch (InterruptedException ignored) {
                        // a stubborn task: it does not stop when asked
                    }
                }
            } finally {
                inside.decrementAndGet();
            }
            return s;
        });
        return queue;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNewPoolDoesNotRunAJobWhoseCodeStillRunsAfterShutdown(Backend backend) {
        Queuack queue = withStubbornTask(backend);
        long id = queue.enqueue("stubborn", "x");
        WorkerPool first = queue.workers().concurrency(1).shutdownGrace(Duration.ZERO).start();
        Waits.await(started);
        first.close();
        assertEquals(JobStatus.PENDING, queue.job(id).orElseThrow().status(), "the attempt was given back");
        try (WorkerPool second = queue.workers().concurrency(2).start()) {
            Waits.until("the second pool claimed the job", () -> queue.job(id).orElseThrow().status() == JobStatus.RUNNING);
            assertEquals(1, starts.get(), "the job waits for the first execution's code to return");
            letGo.countDown();
            assertEquals(JobStatus.SUCCEEDED, queue.await(id, Waits.LONG).status());
        }
        assertEquals(1, mostInside.get(), "never two executions of the job at once");
        assertEquals(2, starts.get(), "it ran again after the stuck code returned");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRetryAfterATimeoutWaitsForTheTimedOutCode(Backend backend) {
        Queuack queue = withStubbornTask(backend);
        long id = queue.enqueue("stubborn", "x", JobOptions.defaults().timeout(Duration.ofMillis(50))
                .backoff(Backoff.NONE).maxAttempts(2));
        try (WorkerPool pool = queue.workers().concurrency(2).start()) {
            Waits.await(started);
            Waits.until("the retry was claimed", () -> queue.job(id).orElseThrow().attempts() == 2);
            assertEquals(1, starts.get(), "the retry waits while the timed-out attempt's code runs");
            letGo.countDown();
            Job job = queue.await(id, Waits.LONG);
            assertTrue(job.status().isTerminal(), job.summary());
        }
        assertEquals(1, mostInside.get(), "never two executions of the job at once");
    }
}
