package io.queuack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The background thread that fires due schedules while a worker pool of this queue runs. It sleeps until the
 * soonest next fire time it can fire (looking again at least every {@link #MAX_SLEEP}, for schedules other
 * processes save), and wakes at once when a schedule of this process changes. Idle, it costs one small query
 * per wake-up, whatever the number of schedules.
 */
final class ScheduleTicker {

    private static final System.Logger LOG = System.getLogger(ScheduleTicker.class.getName());
    /** The longest sleep: a schedule saved by another process fires at most this late (well within on-time). */
    static final Duration MAX_SLEEP = Duration.ofSeconds(20);
    /** The shortest sleep, also after a failure, so that a broken store is not hammered. */
    private static final Duration MIN_SLEEP = Duration.ofMillis(5);

    private final Engine engine;
    private final ScheduleFirer firer;
    private Thread thread;
    private boolean stopping;
    private boolean woken;

    ScheduleTicker(Engine engine, ScheduleFirer firer) {
        this.engine = engine;
        this.firer = firer;
    }

    synchronized void start() {
        if (thread != null || stopping) {
            return;
        }
        thread = new Thread(this::loop, "queuack-schedules");
        thread.setDaemon(true);
        thread.start();
    }

    /** Looks at the schedules again at once (one changed). */
    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    void stop() {
        Thread running;
        synchronized (this) {
            stopping = true;
            running = thread;
            notifyAll();
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (true) {
            Duration sleep;
            try {
                if (engine.isClosed()) {
                    return;
                }
                Instant firedAt = engine.now();
                firer.fireDue(firedAt);
                sleep = untilNext(firedAt);
            } catch (RuntimeException e) {
                if (engine.isClosed()) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Firing schedules failed; trying again in " + MAX_SLEEP.toSeconds()
                        + " s: " + e.getMessage(), e);
                sleep = MAX_SLEEP;
            }
            if (!pause(sleep)) {
                return;
            }
        }
    }

    /** @return how long to sleep; long if a schedule due at {@code firedAt} is still due (it failed to fire) */
    private Duration untilNext(Instant firedAt) {
        Optional<Instant> next = engine.storage().nextFireTime(firer.fireableDags());
        if (next.isEmpty() || !next.get().isAfter(firedAt)) {
            return MAX_SLEEP;
        }
        Duration wait = Duration.between(engine.now(), next.get());
        return wait.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : wait.compareTo(MIN_SLEEP) < 0 ? MIN_SLEEP : wait;
    }

    /** @return false once stopping */
    private synchronized boolean pause(Duration sleep) {
        long deadline = System.nanoTime() + sleep.toNanos();
        while (!stopping && !woken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                return false;
            }
        }
        woken = false;
        return !stopping;
    }
}
