package io.queuack.storage.duckdb;

import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.sql.JobSql;
import io.queuack.storage.sql.SqlValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Inserts job batches. The jobs of small batches are written together with multi-row INSERTs; large ones stream the per-job
 * columns (id, argument, key) through DuckDB's appender into a temporary table and copy them into
 * {@code jobs} with one INSERT ... SELECT that adds the batch's shared options as parameters. The
 * caller holds the transaction.
 */
final class JobInserter {

    /** Batches up to this size are inserted with parameterised statements. */
    static final int DIRECT_INSERT_LIMIT = 16;

    private static final String COLUMNS = "id, arguments, idempotency_key, queue, task, session_id, status, priority,"
            + " attempts, max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter,"
            + " timeout_ms, created_at, run_at, expires_at, limit_key";
    private static final String TEMPLATE = "?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    private final Statements statements;
    private final DuckDBConnection connection;
    private final IdAllocator jobIds;

    JobInserter(Statements statements, IdAllocator jobIds) {
        this.statements = statements;
        this.connection = statements.connection();
        this.jobIds = jobIds;
    }

    static void createStagingTable(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS staged_jobs"
                    + " (id BIGINT, arguments VARCHAR, idempotency_key VARCHAR)");
        }
    }

    /**
     * Inserts every batch, in order (batches may come from different callers: the store's write funnel
     * inserts what several threads enqueued at once in one transaction). The fresh jobs of small batches are
     * written together, up to {@link #DIRECT_INSERT_LIMIT} rows per statement; large batches go through the
     * appender.
     */
    List<Inserted> insert(List<JobBatch> batches) throws SQLException {
        long firstId = jobIds.mark();
        try {
            Map<String, Long> knownKeys = JobSql.storedKeys(statements, batches);
            List<Inserted> result = new ArrayList<>(batches.size());
            List<Row> direct = new ArrayList<>();
            for (JobBatch batch : batches) {
                result.add(insert(batch, knownKeys, direct));
            }
            insertDirect(direct);
            return result;
        } catch (SQLException | RuntimeException e) {
            jobIds.reset(firstId);
            throw e;
        }
    }

    /** One fresh job of a small batch, waiting to be written with others. */
    private record Row(JobBatch batch, int index, long id) {
    }

    private Inserted insert(JobBatch batch, Map<String, Long> knownKeys, List<Row> direct) throws SQLException {
        long[] ids = new long[batch.size()];
        BitSet existing = new BitSet();
        for (int i = 0; i < ids.length; i++) {
            String key = batch.keyAt(i);
            Long known = key == null ? null : knownKeys.get(key);
            if (known != null) {
                ids[i] = known;
                existing.set(i);
            } else {
                ids[i] = jobIds.take(1);
                if (key != null) {
                    knownKeys.put(key, ids[i]);
                }
            }
        }
        int fresh = ids.length - existing.cardinality();
        if (fresh > DIRECT_INSERT_LIMIT) {
            insertStaged(batch, ids, existing);
        } else {
            for (int i = 0; i < ids.length; i++) {
                if (!existing.get(i)) {
                    direct.add(new Row(batch, i, ids[i]));
                }
            }
        }
        return new Inserted(ids, existing);
    }

    /** Writes {@code rows} with multi-row INSERT statements, {@link #DIRECT_INSERT_LIMIT} rows at most each. */
    private void insertDirect(List<Row> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += DIRECT_INSERT_LIMIT) {
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + DIRECT_INSERT_LIMIT));
            PreparedStatement insert = statements.prepare("INSERT INTO jobs (" + COLUMNS + ") VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, " + TEMPLATE + ")")));
            int parameter = 1;
            for (Row row : chunk) {
                insert.setLong(parameter++, row.id());
                insert.setString(parameter++, row.batch().arguments().get(row.index()));
                insert.setString(parameter++, row.batch().keyAt(row.index()));
                parameter = bindTemplate(insert, parameter, row.batch());
            }
            insert.executeUpdate();
        }
    }

    private void insertStaged(JobBatch batch, long[] ids, BitSet existing) throws SQLException {
        statements.prepare("DELETE FROM staged_jobs").execute();
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "staged_jobs")) {
            for (int i = 0; i < ids.length; i++) {
                if (existing.get(i)) {
                    continue;
                }
                appender.beginRow();
                appender.append(ids[i]);
                appender.append(batch.arguments().get(i));
                appender.append(batch.keyAt(i));
                appender.endRow();
            }
        }
        PreparedStatement insert = statements.prepare("INSERT INTO jobs (" + COLUMNS + ")"
                + " SELECT id, arguments, idempotency_key, " + TEMPLATE + " FROM staged_jobs ORDER BY id");
        bindTemplate(insert, 1, batch);
        insert.executeUpdate();
        statements.prepare("DELETE FROM staged_jobs").execute();
    }

    /** @return the next parameter index */
    private static int bindTemplate(PreparedStatement insert, int first, JobBatch batch) throws SQLException {
        int i = first;
        insert.setString(i++, batch.queue());
        insert.setString(i++, batch.task());
        if (batch.sessionId() == null) {
            insert.setNull(i++, Types.VARCHAR);
        } else {
            insert.setString(i++, batch.sessionId());
        }
        insert.setInt(i++, batch.priority());
        insert.setInt(i++, batch.maxAttempts());
        insert.setLong(i++, batch.backoff().initialMillis());
        insert.setDouble(i++, batch.backoff().multiplier());
        insert.setLong(i++, batch.backoff().maxMillis());
        insert.setDouble(i++, batch.backoff().jitter());
        SqlValues.setNullableLong(insert, i++, SqlValues.millis(batch.timeout()));
        SqlValues.setTimestamp(insert, i++, batch.createdAt());
        SqlValues.setTimestamp(insert, i++, batch.runAt());
        SqlValues.setTimestamp(insert, i++, batch.expiresAt());
        insert.setString(i++, batch.limitKey());
        return i;
    }
}
