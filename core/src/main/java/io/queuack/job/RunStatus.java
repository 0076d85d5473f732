package io.queuack.job;

import java.util.Locale;

/** The status of a DAG run, kept current by storage as its tasks finish. */
public enum RunStatus {
    /** Some task has not finished. */
    RUNNING,
    /** Every task finished, none lost (skipped-by-condition tasks are fine). */
    SUCCEEDED,
    /** Every task finished, and at least one ended DEAD, CANCELLED, EXPIRED or ORPHANED. */
    FAILED,
    /** The run was cancelled; its unfinished tasks were cancelled with it. */
    CANCELLED;

    /** @return true unless RUNNING */
    public boolean isFinished() {
        return this != RUNNING;
    }

    /** @return the lower-case name stored in the database */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the status stored as {@code dbName} */
    public static RunStatus fromDbName(String dbName) {
        return valueOf(dbName.toUpperCase(Locale.ROOT));
    }
}
