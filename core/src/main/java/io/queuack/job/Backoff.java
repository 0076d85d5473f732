package io.queuack.job;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a failed job waits before its next attempt: exponential growth with jitter.
 *
 * <p>The wait after attempt {@code n} (1-based) is {@code min(max, initial × multiplier^(n-1))},
 * then shortened by a random fraction of up to {@code jitter} of itself, so that jobs that failed
 * together do not retry together. {@code jitter = 0} gives exact waits, {@code jitter = 1} "full
 * jitter" (anywhere between zero and the computed wait).
 */
public final class Backoff {

    /** 1 s, doubling, at most 10 min, half jitter. */
    public static final Backoff DEFAULT = exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), 0.5);
    /** Retry at once. */
    public static final Backoff NONE = new Backoff(0, 1.0, 0, 0.0);

    private final long initialMillis;
    private final double multiplier;
    private final long maxMillis;
    private final double jitter;

    private Backoff(long initialMillis, double multiplier, long maxMillis, double jitter) {
        this.initialMillis = initialMillis;
        this.multiplier = multiplier;
        this.maxMillis = maxMillis;
        this.jitter = jitter;
    }

    /**
     * @param initial    wait after the first failure; zero to {@link Limits#MAX_DURATION}
     * @param multiplier growth per attempt; at least 1
     * @param max        the longest wait; at least {@code initial}, at most {@link Limits#MAX_DURATION}
     * @param jitter     fraction of each wait that is randomised, 0 to 1
     */
    public static Backoff exponential(Duration initial, double multiplier, Duration max, double jitter) {
        Limits.storable("Backoff initial wait", initial);
        Limits.storable("Backoff max wait", max);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("Backoff multiplier must be a finite number of at least 1, was " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff max wait (" + max + ") must be at least the initial wait (" + initial + ")");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("Backoff jitter must be between 0 and 1, was " + jitter);
        }
        return new Backoff(initial.toMillis(), multiplier, max.toMillis(), jitter);
    }

    /** @return the same wait after every failure, without jitter */
    public static Backoff fixed(Duration wait) {
        return exponential(wait, 1.0, wait, 0.0);
    }

    /** Rebuilds a backoff from its stored fields (used by storage backends). */
    public static Backoff of(long initialMillis, double multiplier, long maxMillis, double jitter) {
        return exponential(Duration.ofMillis(initialMillis), multiplier, Duration.ofMillis(maxMillis), jitter);
    }

    /**
     * @param failedAttempt the attempt that just failed, 1-based
     * @param random        source of the jitter
     * @return how long to wait before the next attempt
     */
    public Duration delayAfter(int failedAttempt, RandomGenerator random) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt is 1-based, was " + failedAttempt);
        }
        double wait = initialMillis * Math.pow(multiplier, failedAttempt - 1.0);
        wait = Math.min(wait, maxMillis);
        wait -= wait * jitter * random.nextDouble();
        return Duration.ofMillis(Math.round(wait));
    }

    public long initialMillis() {
        return initialMillis;
    }

    public double multiplier() {
        return multiplier;
    }

    public long maxMillis() {
        return maxMillis;
    }

    public double jitter() {
        return jitter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backoff b && b.initialMillis == initialMillis && b.multiplier == multiplier
                && b.maxMillis == maxMillis && b.jitter == jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialMillis, multiplier, maxMillis, jitter);
    }

    @Override
    public String toString() {
        return "Backoff[initial=" + Duration.ofMillis(initialMillis) + ", multiplier=" + multiplier
                + ", max=" + Duration.ofMillis(maxMillis) + ", jitter=" + jitter + "]";
    }
}
