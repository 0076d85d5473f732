package io.queuack.storage.duckdb;

import io.queuack.error.QueuackException;
import io.queuack.storage.sql.SqlScripts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the numbered schema scripts shipped next to this class ({@code V<n>__<description>.sql})
 * and records each in the {@code queuack_schema} table. A database made by a newer Queuack (a
 * higher version than this library knows) is refused instead of being touched.
 */
final class Migrations {

    /** The scripts, in version order; version n is element n-1. */
    static final List<String> SCRIPTS = List.of("V1__create_jobs_and_queues.sql", "V2__dag_runs.sql",
            "V3__id_counters.sql", "V4__started_attempts.sql", "V5__reused_results.sql", "V6__job_workers.sql",
            "V7__schedules.sql", "V8__limits.sql", "V9__job_attempts.sql");

    private Migrations() {
    }

    /** @return the schema version this library creates */
    static int latestVersion() {
        return SCRIPTS.size();
    }

    /** Brings the schema of {@code connection} (auto-commit off) up to date and commits. */
    static void apply(Connection connection, String description) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS queuack_schema (version INTEGER NOT NULL,"
                    + " description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
        }
        int current = SqlScripts.appliedVersion(connection);
        if (current > latestVersion()) {
            throw new QueuackException(description + " has schema version " + current + ", made by a newer Queuack;"
                    + " this library knows versions up to " + latestVersion() + ". Upgrade queuack-core to open it.");
        }
        for (int version = current + 1; version <= latestVersion(); version++) {
            SqlScripts.apply(connection, Migrations.class, version, SCRIPTS.get(version - 1));
        }
        connection.commit();
    }

}
