package io.queuack.storage.sql;

import io.queuack.storage.ScheduleRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Statements on schedules that the SQL stores run alike, in the caller's transaction. */
public final class ScheduleSql {

    private static final String COLUMNS = "name, definition, dag, paused, next_fire_at, last_slot, version, created_at,"
            + " updated_at";
    /** Schedules the caller may fire: not paused, with a next slot, of a task or of a DAG the caller registers. */
    private static final String FIREABLE = "NOT paused AND next_fire_at IS NOT NULL AND (dag IS NULL OR dag = ANY(?))";

    private ScheduleSql() {
    }

    /** Inserts ({@code expectedVersion} 0) or updates a schedule, guarded; @return true if written */
    public static boolean put(StatementSource statements, ScheduleRow row, long expectedVersion) throws SQLException {
        PreparedStatement write = statements.prepare(expectedVersion == 0
                ? "INSERT INTO schedules (definition, dag, paused, next_fire_at, last_slot, version, created_at,"
                        + " updated_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"
                : "UPDATE schedules SET definition = ?, dag = ?, paused = ?, next_fire_at = ?, last_slot = ?, version = ?,"
                        + " created_at = ?, updated_at = ? WHERE name = ? AND version = ?");
        write.setString(1, row.definition());
        write.setString(2, row.dag());
        write.setBoolean(3, row.paused());
        SqlValues.setTimestamp(write, 4, row.nextFireAt());
        SqlValues.setTimestamp(write, 5, row.lastSlot());
        write.setLong(6, row.version());
        SqlValues.setTimestamp(write, 7, row.createdAt());
        SqlValues.setTimestamp(write, 8, row.updatedAt());
        write.setString(9, row.name());
        if (expectedVersion != 0) {
            write.setLong(10, expectedVersion);
        }
        return write.executeUpdate() == 1;
    }

    public static boolean delete(StatementSource statements, String name) throws SQLException {
        PreparedStatement delete = statements.prepare("DELETE FROM schedules WHERE name = ?");
        delete.setString(1, name);
        return delete.executeUpdate() == 1;
    }

    public static Optional<ScheduleRow> get(StatementSource statements, String name) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + COLUMNS + " FROM schedules WHERE name = ?");
        select.setString(1, name);
        List<ScheduleRow> rows = read(select);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static List<ScheduleRow> all(StatementSource statements) throws SQLException {
        return read(statements.prepare("SELECT " + COLUMNS + " FROM schedules ORDER BY name"));
    }

    public static List<ScheduleRow> due(StatementSource statements, Instant now, Set<String> dags, int limit)
            throws SQLException {
        PreparedStatement select = statements.prepare("SELECT " + COLUMNS + " FROM schedules WHERE " + FIREABLE
                + " AND next_fire_at <= ? ORDER BY next_fire_at, name LIMIT ?");
        select.setArray(1, statements.array("VARCHAR", dags.toArray()));
        SqlValues.setTimestamp(select, 2, now);
        select.setInt(3, limit);
        return read(select);
    }

    public static Optional<Instant> next(StatementSource statements, Set<String> dags) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT min(next_fire_at) FROM schedules WHERE " + FIREABLE);
        select.setArray(1, statements.array("VARCHAR", dags.toArray()));
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.ofNullable(SqlValues.instant(rs, 1)) : Optional.empty();
        }
    }

    private static List<ScheduleRow> read(PreparedStatement select) throws SQLException {
        List<ScheduleRow> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new ScheduleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        SqlValues.instant(rs, 5), SqlValues.instant(rs, 6), rs.getLong(7), SqlValues.instant(rs, 8),
                        SqlValues.instant(rs, 9)));
            }
        }
        return rows;
    }
}
