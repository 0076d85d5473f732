package io.queuack.storage.postgres;

import io.queuack.error.QueuackException;
import io.queuack.storage.sql.SqlScripts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the numbered schema scripts shipped next to this class ({@code V<n>__<description>.sql}) and
 * records each in {@code queuack_schema}, under a transaction-level advisory lock so that processes that
 * start at the same moment apply each script once. A schema made by a newer Queuack is refused.
 */
final class Migrations {

    /** The scripts, in version order; version n is element n-1. */
    static final List<String> SCRIPTS = List.of("V1__jobs_runs_and_workers.sql", "V2__schedules.sql",
            "V3__limits.sql", "V4__job_attempts.sql");

    /** The advisory lock taken while the schema changes (any number, the same in every process). */
    private static final long LOCK = 0x5155_4555_4143_4bL;

    private Migrations() {
    }

    static int latestVersion() {
        return SCRIPTS.size();
    }

    /**
     * Brings the tables up to date, in {@code schema} (created if missing) or else the connection's current schema;
     * commits. The schema is created under the lock too: two processes' {@code CREATE SCHEMA IF NOT EXISTS} at once
     * would collide.
     */
    static void apply(Connection connection, String schema, String description) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            if (schema != null) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                connection.setSchema(schema);
            }
            statement.execute("CREATE TABLE IF NOT EXISTS queuack_schema (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)");
            int current = SqlScripts.appliedVersion(connection);
            refuseNewer(current, description);
            for (int version = current + 1; version <= latestVersion(); version++) {
                SqlScripts.apply(connection, Migrations.class, version, SCRIPTS.get(version - 1));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Refuses to go on unless the schema is at this library's version; changes nothing. */
    static void validate(Connection connection, String description) throws SQLException {
        int current;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT to_regclass('queuack_schema') IS NOT NULL")) {
            rs.next();
            current = rs.getBoolean(1) ? SqlScripts.appliedVersion(connection) : 0;
        }
        refuseNewer(current, description);
        if (current < latestVersion()) {
            throw new QueuackException(description + " has schema version " + current + "; this library needs "
                    + latestVersion() + ". Apply " + SCRIPTS.subList(current, latestVersion()) + " (in the queuack-postgres"
                    + " jar, io/queuack/storage/postgres/) or open it with SchemaMode.CREATE.");
        }
    }

    private static void refuseNewer(int current, String description) {
        if (current > latestVersion()) {
            throw new QueuackException(description + " has schema version " + current + ", made by a newer Queuack;"
                    + " this library knows versions up to " + latestVersion() + ". Upgrade queuack-postgres to open it.");
        }
    }

}
