package io.queuack.job;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of one named queue's jobs per status.
 *
 * @param queue     the queue's name
 * @param paused    whether workers skip it
 * @param counts    jobs per status (every status present, zero where none)
 * @param scheduled waiting jobs whose run-at time is still in the future (delayed or backing off)
 */
public record QueueStats(String queue, boolean paused, Map<JobStatus, Long> counts, long scheduled) {

    public QueueStats {
        EnumMap<JobStatus, Long> all = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            all.put(status, counts.getOrDefault(status, 0L));
        }
        counts = Collections.unmodifiableMap(all);
    }

    /** @return the number of jobs in {@code status} */
    public long count(JobStatus status) {
        return counts.get(status);
    }

    /** @return jobs waiting for a worker: pending plus failed-awaiting-retry (due or scheduled) */
    public long waiting() {
        return count(JobStatus.PENDING) + count(JobStatus.FAILED);
    }

    /** @return every job of the queue */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return a one-line summary such as {@code default: 10 pending, 2 running, 88 succeeded} */
    public String summary() {
        StringBuilder text = new StringBuilder(queue).append(paused ? " (paused)" : "").append(':');
        String separator = " ";
        for (Map.Entry<JobStatus, Long> entry : counts.entrySet()) {
            if (entry.getValue() > 0) {
                text.append(separator).append(entry.getValue()).append(' ').append(entry.getKey().dbName());
                separator = ", ";
            }
        }
        if (separator.equals(" ")) {
            text.append(" empty");
        }
        if (scheduled > 0) {
            text.append(" (").append(scheduled).append(" scheduled later)");
        }
        return text.toString();
    }
}
