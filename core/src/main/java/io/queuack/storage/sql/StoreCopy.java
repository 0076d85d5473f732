package io.queuack.storage.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies everything a SQL store holds (jobs with their results and errors, DAG runs, dependencies, paused
 * queues, schedules, limits and their starts, failed attempts) into another, empty one, whatever the two databases are: the SQL stores share table and column
 * names. The source is read in one consistent snapshot, the target written in one transaction, so a failed
 * copy leaves the target empty. Afterwards the target's id counters start above every copied id.
 */
public final class StoreCopy {

    /** The tables copied, in an order that keeps references valid. */
    public static final List<String> TABLES = List.of("jobs", "dag_runs", "job_dependencies", "queues", "schedules",
            "job_limits", "limit_starts", "job_attempts");
    private static final int BATCH = 1_000;

    private StoreCopy() {
    }

    /**
     * @return rows copied per table
     * @throws IllegalStateException if the target already holds jobs or runs
     */
    public static Map<String, Long> copy(Connection source, Connection target) throws SQLException {
        refuseUnlessEmpty(target);
        boolean sourceAutoCommit = source.getAutoCommit();
        boolean targetAutoCommit = target.getAutoCommit();
        source.setAutoCommit(false);
        if (isPostgres(source)) {
            source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        target.setAutoCommit(false);
        Map<String, Long> copied = new LinkedHashMap<>();
        try {
            for (String table : TABLES) {
                copied.put(table, copyTable(source, target, table));
            }
            moveCounters(target);
            target.commit();
            source.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            source.rollback();
            throw e;
        } finally {
            target.setAutoCommit(targetAutoCommit);
            source.setAutoCommit(sourceAutoCommit);
        }
        return copied;
    }

    private static void refuseUnlessEmpty(Connection target) throws SQLException {
        try (Statement statement = target.createStatement();
             ResultSet rs = statement.executeQuery("SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM dag_runs)")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw new IllegalStateException("The target store already holds " + rs.getLong(1) + " jobs and runs;"
                        + " a copy goes into an empty store (a new database schema, a new DuckDB file)");
            }
        }
    }

    private static long copyTable(Connection source, Connection target, String table) throws SQLException {
        List<String> columns = common(columns(source, table), columns(target, table));
        String list = String.join(", ", columns);
        long rows = 0;
        try (Statement select = source.createStatement();
             PreparedStatement insert = target.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES ("
                     + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")")) {
            select.setFetchSize(BATCH);
            try (ResultSet rs = select.executeQuery("SELECT " + list + " FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        if (meta.getColumnType(i) == Types.TIMESTAMP) {
                            insert.setObject(i, rs.getObject(i, LocalDateTime.class));
                        } else {
                            insert.setObject(i, rs.getObject(i));
                        }
                    }
                    insert.addBatch();
                    if (++rows % BATCH == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    private static List<String> common(List<String> source, List<String> target) {
        List<String> both = new ArrayList<>(source);
        both.retainAll(target);
        return both;
    }

    /** Makes the target hand out ids above every copied one (its sequences, or DuckDB's counters). */
    private static void moveCounters(Connection target) throws SQLException {
        try (Statement statement = target.createStatement()) {
            if (isPostgres(target)) {
                statement.execute("SELECT setval('queuack_job_ids', greatest(1, (SELECT coalesce(max(id), 0) FROM jobs)))");
                statement.execute("SELECT setval('queuack_run_ids', greatest(1, (SELECT coalesce(max(id), 0) FROM dag_runs)))");
            } else {
                for (String table : List.of("jobs", "dag_runs")) {
                    statement.execute("INSERT INTO queuack_counters (name, value) SELECT '" + table + "',"
                            + " coalesce(max(id), 0) FROM " + table + " ON CONFLICT (name) DO UPDATE SET"
                            + " value = greatest(queuack_counters.value, excluded.value)");
                }
            }
        }
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
