package io.queuack.storage.sql;

import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.ScheduleFired;
import io.queuack.storage.ScheduleFiring;
import io.queuack.storage.ScheduleRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Statements on schedules that the SQL stores run alike, in the caller's transaction. */
public final class ScheduleSql {

    /** Schedules moved on per UPDATE when a batch fires. */
    private static final int ROWS_PER_UPDATE = 100;
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

    /** What firing inserts, in the caller's transaction: a store's own job and run writers. */
    public interface Inserts {
        List<Inserted> jobs(List<JobBatch> batches) throws SQLException;

        RunInserted run(RunPlan plan) throws SQLException;
    }

    /**
     * Fires schedules: moves on each one whose version is still the expected one, then inserts the jobs of all of
     * them at once and their runs; see {@link io.queuack.storage.Storage#fireSchedules}.
     */
    public static List<Optional<ScheduleFired>> fire(StatementSource statements, List<ScheduleFiring> firings,
                                                     Inserts inserts) throws SQLException {
        Set<String> moved = moveOn(statements, firings);
        List<Boolean> won = new ArrayList<>(firings.size());
        List<JobBatch> jobs = new ArrayList<>();
        for (ScheduleFiring firing : firings) {
            boolean written = moved.contains(firing.row().name());
            won.add(written);
            if (written) {
                jobs.addAll(firing.jobs());
            }
        }
        List<Inserted> inserted = jobs.isEmpty() ? List.of() : inserts.jobs(jobs);
        List<Optional<ScheduleFired>> fired = new ArrayList<>(firings.size());
        int next = 0;
        for (int i = 0; i < firings.size(); i++) {
            ScheduleFiring firing = firings.get(i);
            if (!won.get(i)) {
                fired.add(Optional.empty());
                continue;
            }
            List<Inserted> itsJobs = inserted.subList(next, next + firing.jobs().size());
            next += firing.jobs().size();
            List<RunInserted> runs = new ArrayList<>(firing.runs().size());
            for (RunPlan plan : firing.runs()) {
                runs.add(inserts.run(plan));
            }
            fired.add(Optional.of(new ScheduleFired(itsJobs, runs)));
        }
        return fired;
    }

    /**
     * Writes the rows of {@code firings} with one statement, each only if its stored version is still the expected
     * one. @return the names of the schedules written
     */
    private static Set<String> moveOn(StatementSource statements, List<ScheduleFiring> firings) throws SQLException {
        Set<String> moved = new HashSet<>();
        for (int from = 0; from < firings.size(); from += ROWS_PER_UPDATE) {
            List<ScheduleFiring> chunk = firings.subList(from, Math.min(firings.size(), from + ROWS_PER_UPDATE));
            PreparedStatement update = statements.prepare("UPDATE schedules SET next_fire_at = v.next_fire_at,"
                    + " last_slot = v.last_slot, version = v.version, updated_at = v.updated_at FROM (VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(CAST(? AS VARCHAR), CAST(? AS BIGINT),"
                    + " CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), CAST(? AS BIGINT), CAST(? AS TIMESTAMP))"))
                    + ") AS v(name, expected, next_fire_at, last_slot, version, updated_at)"
                    + " WHERE schedules.name = v.name AND schedules.version = v.expected RETURNING schedules.name");
            int parameter = 1;
            for (ScheduleFiring firing : chunk) {
                ScheduleRow row = firing.row();
                update.setString(parameter++, row.name());
                update.setLong(parameter++, firing.expectedVersion());
                SqlValues.setTimestamp(update, parameter++, row.nextFireAt());
                SqlValues.setTimestamp(update, parameter++, row.lastSlot());
                update.setLong(parameter++, row.version());
                SqlValues.setTimestamp(update, parameter++, row.updatedAt());
            }
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getString(1));
                }
            }
        }
        return moved;
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
