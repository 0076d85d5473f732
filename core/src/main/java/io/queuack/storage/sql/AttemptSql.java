package io.queuack.storage.sql;

import io.queuack.job.Attempt;
import io.queuack.job.JobStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The failed attempts of jobs (table {@code job_attempts}), the same SQL on DuckDB and PostgreSQL. */
public final class AttemptSql {

    private AttemptSql() {
    }

    /**
     * Keeps the latest attempt of each job of {@code ids} that is now FAILED or DEAD (call it in the transaction
     * that stored those failures, after storing them).
     */
    public static void recordFailures(StatementSource statements, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        PreparedStatement insert = statements.prepare("INSERT INTO job_attempts (job_id, attempt, worker, started_at,"
                + " finished_at, status, error_type, error_message, error_trace) SELECT id, attempts, worker,"
                + " started_at, finished_at, status, error_type, error_message, error_trace FROM jobs"
                + " WHERE id BETWEEN ? AND ? AND id = ANY(?) AND status IN ('failed', 'dead')");
        insert.setLong(1, ids.stream().mapToLong(Long::longValue).min().orElseThrow());
        insert.setLong(2, ids.stream().mapToLong(Long::longValue).max().orElseThrow());
        insert.setArray(3, statements.array("BIGINT", ids.toArray()));
        insert.executeUpdate();
    }

    /** @return the failed attempts of a job, oldest first */
    public static List<Attempt> find(StatementSource statements, long jobId) throws SQLException {
        PreparedStatement select = statements.prepare("SELECT attempt, worker, started_at, finished_at, status,"
                + " error_type, error_message, error_trace FROM job_attempts WHERE job_id = ? ORDER BY finished_at, attempt");
        select.setLong(1, jobId);
        List<Attempt> attempts = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                attempts.add(new Attempt(rs.getInt(1), rs.getString(2), SqlValues.instant(rs, 3),
                        SqlValues.instant(rs, 4), JobStatus.fromDbName(rs.getString(5)), SqlValues.error(rs, 6)));
            }
        }
        return attempts;
    }
}
