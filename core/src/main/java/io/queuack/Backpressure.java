package io.queuack;

import io.queuack.error.BackpressureException;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits on how many jobs may wait (PENDING or FAILED) on one queue, checked on every enqueue.
 * Past the warning threshold Queuack logs a warning once; past the limit an enqueue is either
 * rejected with {@link BackpressureException} or blocked until workers make room (up to a maximum
 * wait, then rejected).
 *
 * <pre>{@code
 * Queuack.builder().backpressure(Backpressure.warnAt(50_000).blockAbove(200_000, Duration.ofSeconds(30)))
 * }</pre>
 */
public final class Backpressure {

    private static final Backpressure UNBOUNDED = new Backpressure(Long.MAX_VALUE, Long.MAX_VALUE, null);

    private final long warnAt;
    private final long limit;
    private final Duration maxWait;

    private Backpressure(long warnAt, long limit, Duration maxWait) {
        this.warnAt = warnAt;
        this.limit = limit;
        this.maxWait = maxWait;
    }

    /** @return no limit and no warning (the default) */
    public static Backpressure unbounded() {
        return UNBOUNDED;
    }

    /** @param waiting log a warning when a queue's waiting jobs pass this number (at least 1) */
    public static Backpressure warnAt(long waiting) {
        return new Backpressure(positive("warning threshold", waiting), Long.MAX_VALUE, null);
    }

    /** @param limit refuse enqueues that would bring a queue's waiting jobs above this number */
    public Backpressure rejectAbove(long limit) {
        return new Backpressure(warnAt, checkLimit(limit), null);
    }

    /**
     * @param limit   make enqueues that would pass this number wait for room
     * @param maxWait the longest an enqueue waits before it is refused; positive
     */
    public Backpressure blockAbove(long limit, Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, was " + maxWait);
        }
        return new Backpressure(warnAt, checkLimit(limit), maxWait);
    }

    /** @return the warning threshold, or {@link Long#MAX_VALUE} for none */
    public long warnAt() {
        return warnAt;
    }

    /** @return the limit, or {@link Long#MAX_VALUE} for none */
    public long limit() {
        return limit;
    }

    /** @return how long an enqueue may block, or null when enqueues over the limit are rejected at once */
    public Duration maxWait() {
        return maxWait;
    }

    boolean isUnbounded() {
        return warnAt == Long.MAX_VALUE && limit == Long.MAX_VALUE;
    }

    private long checkLimit(long limit) {
        positive("limit", limit);
        if (warnAt != Long.MAX_VALUE && limit < warnAt) {
            throw new IllegalArgumentException("The limit (" + limit + ") must not be below the warning threshold ("
                    + warnAt + ")");
        }
        return limit;
    }

    private static long positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("Backpressure " + what + " must be at least 1, was " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return isUnbounded() ? "Backpressure[unbounded]" : "Backpressure[warnAt=" + warnAt + ", limit=" + limit
                + (maxWait == null ? ", reject" : ", block up to " + maxWait) + "]";
    }
}
