package io.queuack.storage.sql;

import io.queuack.job.Backoff;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Conversions between Java values and SQL columns shared by the SQL stores (DuckDB, PostgreSQL), and the job
 * column list. Times are stored as UTC in columns without a time zone.
 */
public final class SqlValues {

    /** Columns read into a {@link Job}, in the order {@link #readJob} expects. */
    public static final String JOB_COLUMNS = "id, queue, task, status, priority, attempts, max_attempts, backoff_initial_ms,"
            + " backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, created_at, run_at, expires_at,"
            + " started_at, finished_at, progress, message, arguments, result, error_type, error_message, error_trace,"
            + " idempotency_key, session_id, owner, run_id, node, reused, worker, limit_key";

    private SqlValues() {
    }

    public static LocalDateTime ts(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    public static void setTimestamp(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP);
        } else {
            ps.setObject(index, ts(instant));
        }
    }

    public static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    public static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }

    public static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static Duration duration(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(value);
    }

    public static Backoff backoff(ResultSet rs, int firstColumn) throws SQLException {
        return Backoff.of(rs.getLong(firstColumn), rs.getDouble(firstColumn + 1), rs.getLong(firstColumn + 2),
                rs.getDouble(firstColumn + 3));
    }

    public static JobError error(ResultSet rs, int firstColumn) throws SQLException {
        String type = rs.getString(firstColumn);
        return type == null ? null : new JobError(type, rs.getString(firstColumn + 1), rs.getString(firstColumn + 2));
    }

    /** Reads a row selected with {@link #JOB_COLUMNS}. */
    public static Job readJob(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                JobStatus.fromDbName(rs.getString(4)),
                rs.getInt(5),
                rs.getInt(6),
                rs.getInt(7),
                backoff(rs, 8),
                duration(rs, 12),
                instant(rs, 13),
                instant(rs, 14),
                instant(rs, 15),
                instant(rs, 16),
                instant(rs, 17),
                rs.getDouble(18),
                rs.getString(19),
                rs.getString(20),
                rs.getString(21),
                error(rs, 22),
                rs.getString(25),
                rs.getString(26) != null,
                rs.getString(27),
                nullableLong(rs, 28),
                rs.getString(29),
                rs.getBoolean(30),
                rs.getString(31),
                rs.getString(32));
    }
}
