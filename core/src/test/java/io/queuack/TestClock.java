package io.queuack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it (db-scheduler's {@code SettableClock}): hand it to
 * {@link QueuackBuilder#clock}, and delays, backoffs, time-to-live and leases pass when the test says so,
 * not while it sleeps. Pools still wake on their real poll interval to look at it; tests that move it give
 * the pool a short {@link WorkerPoolBuilder#pollInterval}.
 */
public final class TestClock extends Clock {

    /** A round start time, far from any edge. */
    public static final Instant START = Instant.parse("2026-06-01T08:00:00Z");

    private final AtomicReference<Instant> now;

    public TestClock() {
        this(START);
    }

    public TestClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** Moves the clock forward by {@code step}. @return the new time */
    public Instant advance(Duration step) {
        return now.updateAndGet(time -> time.plus(step));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
