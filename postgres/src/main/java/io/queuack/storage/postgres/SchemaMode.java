package io.queuack.storage.postgres;

/**
 * What opening a PostgreSQL store does with its tables (JobRunr's choice of create, validate or skip).
 */
public enum SchemaMode {
    /** Creates the tables, or brings them up to date with the scripts this library ships (the default). */
    CREATE,
    /**
     * Changes nothing and refuses to open unless the schema is at this library's version: for a database
     * whose owner applies the scripts (they are in the queuack-postgres jar, and {@link PostgresStorage#schemaScripts()}
     * lists them).
     */
    VALIDATE,
    /** Neither creates nor checks: the caller vouches for the schema. */
    SKIP
}
