package io.queuack.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The edges of what a queue stores, the same on every backend. Setters of stored times and durations
 * (delays, run-at times, timeouts, time-to-live, backoff, purge ages) refuse values beyond them and
 * name the limit; waits ({@code await}, {@code awaitIdle}, shutdown grace) store nothing and accept any
 * length, a very long one meaning "as long as it takes".
 */
public final class Limits {

    /** The longest stored duration: 100 years (36,500 days). */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);
    /** The latest stored time: the end of the year 9999 (UTC). */
    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private Limits() {
    }

    /**
     * @return {@code value} if it is zero or more and at most {@link #MAX_DURATION}
     * @throws IllegalArgumentException naming {@code what} and the limit otherwise
     */
    public static Duration storable(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or more, was " + value);
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_DURATION.toDays() + " days (100 years,"
                    + " Limits.MAX_DURATION), was " + value);
        }
        return value;
    }

    /** @return {@code value} if it is positive and at most {@link #MAX_DURATION}; else an error naming the limits */
    public static Duration storablePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return storable(what, value);
    }

    /** @return {@code value} if it is no later than {@link #LATEST_TIME}; else an error naming the limit */
    public static Instant storable(String what, Instant value) {
        Objects.requireNonNull(value, what);
        if (value.isAfter(LATEST_TIME)) {
            throw new IllegalArgumentException(what + " must be no later than " + LATEST_TIME
                    + " (Limits.LATEST_TIME), was " + value);
        }
        return value;
    }

    /**
     * @return the nanoseconds of a wait, saturated (about 73 years at most, "as long as it takes")
     * @throws IllegalArgumentException if the wait is negative
     */
    public static long waitNanos(String what, Duration wait) {
        Objects.requireNonNull(wait, what);
        if (wait.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or more, was " + wait);
        }
        if (wait.compareTo(Duration.ofNanos(MAX_WAIT_NANOS)) >= 0) {
            return MAX_WAIT_NANOS;
        }
        return wait.toNanos();
    }

    /** @return {@code start + wait}, or the latest storable time if that is later (a wait beyond storage's edge) */
    public static Instant plusCapped(Instant start, Duration wait) {
        if (start.isAfter(LATEST_TIME)) {
            return LATEST_TIME;
        }
        Duration room = Duration.between(start, LATEST_TIME);
        return wait.compareTo(room) >= 0 ? LATEST_TIME : start.plus(wait);
    }
}
