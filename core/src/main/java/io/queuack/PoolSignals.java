package io.queuack;

import io.queuack.job.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How the threads around a worker pool's dispatcher wake it and wait for it. Producers say which
 * queues have due jobs (now or at a later time), workers ring when an outcome is ready, and
 * {@code close()} or {@code awaitIdle()} wait until the dispatcher reports the pool settled.
 */
final class PoolSignals {

    /**
     * What happened since the dispatcher last looked.
     *
     * @param allQueues     every listened queue may have due jobs
     * @param queues        these queues may have due jobs
     * @param pausedChanged the set of paused queues may have changed
     */
    record Hints(boolean allQueues, Set<String> queues, boolean pausedChanged) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition settled = lock.newCondition();
    private final Set<String> dueQueues = new HashSet<>();
    private boolean allQueuesDue;
    private boolean pausedChanged = true;
    private boolean rung;
    private boolean idle;
    private Instant wakeAt = Instant.MAX;

    /** Wakes the dispatcher: there is something to do (an outcome, a drain, a stop). */
    void ring() {
        lock.lock();
        try {
            rung = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs are due now on {@code queue}; null means any queue. */
    void jobsDue(String queue) {
        lock.lock();
        try {
            if (queue == null) {
                allQueuesDue = true;
            } else {
                dueQueues.add(queue);
            }
            idle = false;
            ring();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs become due at {@code time}: wake the dispatcher then at the latest. */
    void jobsDueAt(Instant time) {
        lock.lock();
        try {
            if (time.isBefore(wakeAt)) {
                wakeAt = time;
                ring();
            }
        } finally {
            lock.unlock();
        }
    }

    void pausedChanged() {
        lock.lock();
        try {
            pausedChanged = true;
            jobsDue(null);
        } finally {
            lock.unlock();
        }
    }

    /** @return the hints gathered since the last call (a passed wake-up time counts as every queue due), and clears them */
    Hints take(Instant now) {
        lock.lock();
        try {
            if (!now.isBefore(wakeAt)) {
                wakeAt = Instant.MAX;
                allQueuesDue = true;
            }
            Hints hints = new Hints(allQueuesDue, Set.copyOf(dueQueues), pausedChanged);
            allQueuesDue = false;
            pausedChanged = false;
            dueQueues.clear();
            return hints;
        } finally {
            lock.unlock();
        }
    }

    /** @return the earliest time jobs are known to become due */
    Instant wakeAt() {
        lock.lock();
        try {
            return wakeAt;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until rung, or until {@code nanosUntilDeadline} (asked again after every wake-up) reaches
     * zero; then clears the ring.
     */
    void awaitRing(LongSupplier nanosUntilDeadline) throws InterruptedException {
        lock.lock();
        try {
            while (!rung) {
                long nanos = nanosUntilDeadline.getAsLong();
                if (nanos <= 0) {
                    break;
                }
                wake.awaitNanos(nanos);
            }
            rung = false;
        } finally {
            lock.unlock();
        }
    }

    /** The dispatcher finished a turn; {@code nowIdle} says whether nothing is held or due. */
    void settle(boolean nowIdle) {
        lock.lock();
        try {
            idle = nowIdle && !rung && dueQueues.isEmpty() && !allQueuesDue;
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isIdle() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, up to {@code timeout}, until {@code condition} holds after a settled turn, or the
     * dispatcher has {@code stopped}.
     *
     * @return whether the condition holds
     */
    boolean awaitSettled(Duration timeout, BooleanSupplier condition, BooleanSupplier stopped) {
        long left = Limits.waitNanos("timeout", timeout);
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (left <= 0 || stopped.getAsBoolean()) {
                    return condition.getAsBoolean();
                }
                left = settled.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }
}
