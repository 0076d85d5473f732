package io.queuack.job;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored limit and what it counts now.
 *
 * @param limit       the limit
 * @param running     jobs it counts that run now (for a key pattern: summed over its keys); 0 without a running bound
 * @param started     starts inside its window now (summed likewise); 0 without a start bound
 * @param fullKeys    for a key pattern, how many of its keys are full now; else 0 or 1 (whether it is full)
 * @param nextStartAt when a full start window lets a start through again, or null
 */
public record LimitState(JobLimit limit, int running, int started, int fullKeys, Instant nextStartAt) {

    public LimitState {
        Objects.requireNonNull(limit, "limit");
    }

    /** @return true when the limit holds back every job it counts (for a pattern: some of its keys are full) */
    public boolean full() {
        return fullKeys > 0;
    }

    /** @return one line, e.g. {@code "queue:emails (at most 5 running): 5 running, full"} */
    public String summary() {
        StringBuilder text = new StringBuilder(limit.toString()).append(": ");
        if (limit.maxRunning() > 0) {
            text.append(running).append(" running");
        }
        if (limit.maxStarts() > 0) {
            text.append(limit.maxRunning() > 0 ? ", " : "").append(started).append(" started in the window");
        }
        if (limit.isPattern()) {
            text.append(", ").append(fullKeys).append(fullKeys == 1 ? " key full" : " keys full");
        } else if (full()) {
            text.append(", full");
        }
        if (nextStartAt != null) {
            text.append(", next start at ").append(nextStartAt);
        }
        return text.toString();
    }
}
