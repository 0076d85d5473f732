package io.queuack.dashboard;

import io.queuack.Queuack;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The store-wide counts the overview shows (jobs per queue and status, jobs finished per minute), which cost a scan
 * of every job: read in the background from the start, served as last read, and read again when older than five
 * times what reading took (at least a second), each new read announced to live pages. Pages load at once, and live
 * pages refreshing every second cannot keep a big store busy.
 */
final class Counts implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Counts.class.getName());
    private static final long MIN_AGE_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int COST_FACTOR = 5;

    /** What was read, when (the clock's time and {@link System#nanoTime()}), and how long reading took. */
    record Snapshot(List<QueueStats> stats, List<Throughput> throughput, Instant at, long readAt, long cost) {
    }

    private final Queuack queue;
    private final Runnable announce;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "queuack-dashboard-counts");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Snapshot latest;

    /** @param announce told after each read (live pages then fetch themselves again) */
    Counts(Queuack queue, Runnable announce) {
        this.queue = queue;
        this.announce = announce;
        refreshInBackground();
    }

    /** @return the latest counts, or null before the first read ended; starts a new read when they are old */
    Snapshot get() {
        Snapshot current = latest;
        if (current == null || System.nanoTime() - current.readAt() > Math.max(MIN_AGE_NANOS,
                COST_FACTOR * current.cost())) {
            refreshInBackground();
        }
        return current;
    }

    private void read() {
        long start = System.nanoTime();
        List<QueueStats> stats = queue.stats();
        List<Throughput> throughput = queue.throughput(Duration.ofHours(1));
        long end = System.nanoTime();
        latest = new Snapshot(stats, throughput, Instant.now(), end, end - start);
        announce.run();
    }

    private void refreshInBackground() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        try {
            reader.execute(() -> {
                try {
                    read();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "The dashboard could not read the counts; it tries again", e);
                } finally {
                    reading.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reading.set(false);
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
