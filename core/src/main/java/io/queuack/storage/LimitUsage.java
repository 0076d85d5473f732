package io.queuack.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the store's limits count at one moment: running jobs by queue, task and key, and the starts still inside
 * the window of each rate-limited subject. Subjects are written {@code <scope>:<name>}, e.g. {@code queue:emails},
 * {@code task:fetch}, {@code key:account-42} (a concrete key, also for a pattern limit).
 *
 * @param running       running (claimed) jobs per subject; subjects with none may be absent
 * @param starts        starts within their window per subject; subjects with none are absent
 * @param expiredStarts whether the starts log holds buckets whose window has ended (to forget)
 */
public record LimitUsage(Map<String, Integer> running, Map<String, Starts> starts, boolean expiredStarts) {

    /** Nothing running, nothing started. */
    public static final LimitUsage NONE = new LimitUsage(Map.of(), Map.of(), false);

    public LimitUsage {
        running = Map.copyOf(running);
        starts = Map.copyOf(starts);
    }

    /**
     * The starts of one subject still inside their window.
     *
     * @param count       how many
     * @param firstExpiry when the oldest of them leaves its window (a start frees then)
     */
    public record Starts(int count, Instant firstExpiry) {
        public Starts {
            Objects.requireNonNull(firstExpiry, "firstExpiry");
        }
    }

    /**
     * One start to record, in the bucket of its window it falls in: it counts for {@code subject} until
     * {@code expiresAt} (the end of its bucket plus the window).
     */
    public record Start(String subject, Instant bucket, Instant expiresAt) {
    }

    /** Buckets a start window is counted in: a start holds its place at most a sixtieth of the window too long. */
    public static final int BUCKETS_PER_WINDOW = 60;
}
