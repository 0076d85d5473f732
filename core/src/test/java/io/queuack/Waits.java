package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: never a bare sleep, always a condition with a deadline. */
final class Waits {

    static final Duration LONG = Duration.ofSeconds(30);

    private Waits() {
    }

    static Job awaitStatus(Queuack queue, long id, JobStatus status) {
        long deadline = System.nanoTime() + LONG.toNanos();
        Job job = queue.job(id).orElseThrow();
        while (job.status() != status && System.nanoTime() < deadline) {
            queue.await(id, Duration.ofMillis(50));
            job = queue.job(id).orElseThrow();
        }
        assertEquals(status, job.status(), () -> "job " + id + " did not reach " + status + ": " + queue.job(id));
        return job;
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(LONG.toSeconds(), TimeUnit.SECONDS), "latch not released in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
