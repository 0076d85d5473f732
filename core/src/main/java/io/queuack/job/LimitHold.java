package io.queuack.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One limit that holds a waiting job back now, with the counts that make it full.
 *
 * @param limit       the limit
 * @param subject     what it counts: the queue's or task's name, or the job's key
 * @param running     jobs of the subject running now
 * @param started     starts of the subject inside the limit's window now
 * @param nextStartAt when the window lets a start through again, or null when the running bound holds it back
 */
public record LimitHold(JobLimit limit, String subject, int running, int started, Instant nextStartAt) {

    public LimitHold {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(subject, "subject");
    }

    /**
     * @return the reason in words, e.g. {@code "limit key:account-* (one at a time): key account-42 has 1 running"}
     *         or {@code "limit task:fetch (at most 10 starts per minute): 10 started; the next may start at ..."}
     */
    public String describe() {
        StringBuilder text = new StringBuilder("limit ").append(limit.label()).append(" (").append(limit.describeBounds())
                .append("): ");
        if (limit.isPattern()) {
            text.append("key ").append(subject).append(' ');
        }
        if (nextStartAt == null) {
            text.append(running).append(" running");
        } else {
            text.append(started).append(" started in the window; the next may start at ").append(nextStartAt);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
