package io.queuack.storage.memory;

import io.queuack.job.JobLimit;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The limits of a {@link MemoryStorage} and their starts log; the store's lock guards every call. */
final class MemoryLimits {

    /** By scope label, then name: the order the SQL stores list them in. */
    private final TreeMap<String, JobLimit> byLabel = new TreeMap<>();
    /** Starts per subject and bucket, as the SQL stores count them. */
    private final Map<LimitUsage.Start, Integer> starts = new HashMap<>();

    private static String label(JobLimit.Scope scope, String name) {
        return scope.label() + "\u0000" + name;
    }

    void put(JobLimit limit) {
        byLabel.put(label(limit.scope(), limit.name()), limit);
    }

    boolean delete(JobLimit.Scope scope, String name) {
        return byLabel.remove(label(scope, name)) != null;
    }

    List<JobLimit> all() {
        return List.copyOf(byLabel.values());
    }

    boolean isEmpty() {
        return byLabel.isEmpty();
    }

    /** @return what the limits count at {@code now}, given the store's running jobs */
    LimitUsage usage(Collection<MemoryRow> running, Instant now) {
        if (byLabel.isEmpty()) {
            return LimitUsage.NONE;
        }
        LimitGate index = LimitGate.of(all(), LimitUsage.NONE, now);
        Map<String, Integer> counts = new HashMap<>();
        for (MemoryRow row : running) {
            counts.merge(LimitGate.subject(JobLimit.Scope.QUEUE, row.queue), 1, Integer::sum);
            counts.merge(LimitGate.subject(JobLimit.Scope.TASK, row.task), 1, Integer::sum);
            if (index.keyLimit(row.limitKey) != null) {
                counts.merge(LimitGate.subject(JobLimit.Scope.KEY, row.limitKey), 1, Integer::sum);
            }
        }
        Map<String, LimitUsage.Starts> windows = new HashMap<>();
        starts.forEach((start, count) -> {
            if (start.expiresAt().isAfter(now)) {
                windows.merge(start.subject(), new LimitUsage.Starts(count, start.expiresAt()), (a, b) -> new LimitUsage
                        .Starts(a.count() + b.count(), a.firstExpiry().isBefore(b.firstExpiry()) ? a.firstExpiry()
                        : b.firstExpiry()));
            }
        });
        return new LimitUsage(counts, windows, false);
    }

    /** Records starts that rate limits count, and forgets those whose window ended by {@code now}. */
    void record(List<LimitUsage.Start> recorded, Instant now) {
        if (recorded.isEmpty()) {
            return;
        }
        recorded.forEach(start -> starts.merge(start, 1, Integer::sum));
        starts.keySet().removeIf(start -> !start.expiresAt().isAfter(now));
    }
}
