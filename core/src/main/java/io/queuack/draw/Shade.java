package io.queuack.draw;

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

    /** @return the Mermaid class name, e.g. {@code done} */
    public String className() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
