package io.queuack.draw;

import io.queuack.JobStatus;

/** How a box is coloured: the state of a task (or a group, for sub-DAGs without state). */
public enum Shade {
    /** Not runnable yet (a definition's task, or a run's BLOCKED task). */
    PENDING,
    /** Due: waiting for a worker (or for its retry). */
    READY,
    RUNNING,
    /** Succeeded. */
    DONE,
    /** Ended without success: DEAD, CANCELLED, EXPIRED, ORPHANED. */
    FAILED,
    SKIPPED,
    /** A group (sub-DAG or fan-out) without a state of its own. */
    SUBDAG;

    /** @return the shade of a task in {@code status} */
    public static Shade of(JobStatus status) {
        return switch (status) {
            case BLOCKED -> PENDING;
            case PENDING, FAILED -> READY;
            case RUNNING -> RUNNING;
            case SUCCEEDED -> DONE;
            case SKIPPED -> SKIPPED;
            case DEAD, CANCELLED, EXPIRED, ORPHANED -> FAILED;
        };
    }

    /** @return the Mermaid class name, e.g. {@code done} */
    public String className() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
