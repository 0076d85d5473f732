package io.queuack.storage.sql;

import io.queuack.job.JobStatus;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.JobBatch;
import io.queuack.storage.JobTransition;
import io.queuack.storage.ManualTransition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Statements on jobs that the SQL stores run alike, in the caller's transaction. */
public final class JobSql {

    private JobSql() {
    }

    /**
     * A manual cancel or retry that took place: the change, and the DAG run of the job (null for a plain job),
     * whose settlement is the store's to do.
     *
     * @param change what happened to the job
     * @param runId  its DAG run, or null
     */
    public record Applied(JobTransition change, Long runId) {
    }

    /**
     * Cancels or retries one job if it is still in {@code expected} (a retried DAG task with upstream tasks goes
     * to BLOCKED, to wait for them again).
     *
     * @return what happened, or null if the job was not in {@code expected}
     */
    public static Applied transition(StatementSource statements, long jobId, JobStatus expected, JobStatus to,
                                     Instant now) throws SQLException {
        ManualTransition.check(expected, to);
        String set = to == JobStatus.CANCELLED
                ? "finished_at = ?"
                : "attempts = 0, run_at = ?, started_at = NULL, finished_at = NULL, progress = 0, message = NULL,"
                + " result = NULL";
        String status = to == JobStatus.CANCELLED ? "?" : "CASE WHEN EXISTS (SELECT 1 FROM job_dependencies"
                + " WHERE child_id = jobs.id) THEN 'blocked' ELSE ? END";
        PreparedStatement update = statements.prepare("UPDATE jobs SET status = " + status + ", owner = NULL,"
                + " lease_until = NULL, " + set + " WHERE id = ? AND status = ? RETURNING queue, task, attempts, run_id,"
                + " status");
        update.setString(1, to.dbName());
        SqlValues.setTimestamp(update, 2, now);
        update.setLong(3, jobId);
        update.setString(4, expected.dbName());
        try (ResultSet rs = update.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Applied(new JobTransition(jobId, rs.getString(1), rs.getString(2), expected,
                    JobStatus.fromDbName(rs.getString(5)), rs.getInt(3), null), SqlValues.nullableLong(rs, 4));
        }
    }

    /** Extends the lease of every job the request's pool holds. @return their ids */
    public static Set<Long> renewLeases(StatementSource statements, CycleRequest request) throws SQLException {
        Set<Long> renewed = new HashSet<>();
        PreparedStatement update = statements.prepare(
                "UPDATE jobs SET lease_until = ? WHERE status = 'running' AND owner = ? RETURNING id");
        SqlValues.setTimestamp(update, 1, request.leaseUntil());
        update.setString(2, request.owner());
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                renewed.add(rs.getLong(1));
            }
        }
        return renewed;
    }

    /** @return the stored jobs' ids for every idempotency key in {@code batches} that is already stored */
    public static Map<String, Long> storedKeys(StatementSource statements, Iterable<JobBatch> batches)
            throws SQLException {
        Set<String> keys = new HashSet<>();
        for (JobBatch batch : batches) {
            if (batch.idempotencyKeys() != null) {
                for (String key : batch.idempotencyKeys()) {
                    if (key != null) {
                        keys.add(key);
                    }
                }
            }
        }
        Map<String, Long> known = new HashMap<>();
        if (keys.isEmpty()) {
            return known;
        }
        PreparedStatement select = statements.prepare(
                "SELECT idempotency_key, min(id) FROM jobs WHERE idempotency_key = ANY(?) GROUP BY idempotency_key");
        select.setArray(1, statements.array("VARCHAR", keys.toArray()));
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                known.put(rs.getString(1), rs.getLong(2));
            }
        }
        return known;
    }
}
