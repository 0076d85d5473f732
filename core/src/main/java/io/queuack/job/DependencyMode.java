package io.queuack.job;

/** When a DAG task with upstream tasks may run. */
public enum DependencyMode {
    /** Once every upstream task succeeded; skipped as soon as one ends without success. */
    ALL,
    /** As soon as one upstream task succeeded; skipped only when every one ended without success. */
    ANY;

    /** @return the lower-case name stored in the database */
    public String dbName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the mode stored as {@code dbName} */
    public static DependencyMode fromDbName(String dbName) {
        return valueOf(dbName.toUpperCase(java.util.Locale.ROOT));
    }
}
