package io.queuack.storage.postgres;

import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inserts job batches: the fresh jobs of every batch of a call go into {@code jobs} through one statement per
 * {@link #ROWS_PER_STATEMENT} rows, each column handed over as an array. An idempotency key already stored (or
 * inserted by another process at the same moment: the unique index refuses it and the transaction runs again)
 * returns the stored job.
 */
final class JobInserter {

    static final int ROWS_PER_STATEMENT = 5_000;

    private static final String INSERT = """
            INSERT INTO jobs (id, arguments, idempotency_key, queue, task, session_id, status, priority, attempts,
                              max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter,
                              timeout_ms, created_at, run_at, expires_at)
            SELECT id, arguments, idempotency_key, queue, task, session_id, 'pending', priority, 0, max_attempts,
                   backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms,
                   created_at::timestamp, run_at::timestamp, expires_at::timestamp
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::smallint[], ?::integer[],
                        ?::bigint[], ?::double precision[], ?::bigint[], ?::double precision[], ?::bigint[], ?::text[],
                        ?::text[], ?::text[])
                 AS u(id, arguments, idempotency_key, queue, task, session_id, priority, max_attempts,
                      backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter, timeout_ms, created_at,
                      run_at, expires_at)""";

    private JobInserter() {
    }

    static List<Inserted> insert(Statements statements, List<JobBatch> batches) throws SQLException {
        Map<String, Long> knownKeys = storedKeys(statements, batches);
        int fresh = 0;
        for (JobBatch batch : batches) {
            fresh += batch.size();
        }
        long[] newIds = Ids.take(statements, Ids.JOBS, fresh - countKnown(batches, knownKeys));
        int nextId = 0;
        Rows rows = new Rows(statements);
        List<Inserted> result = new ArrayList<>(batches.size());
        for (JobBatch batch : batches) {
            long[] ids = new long[batch.size()];
            BitSet existing = new BitSet();
            for (int i = 0; i < ids.length; i++) {
                String key = batch.keyAt(i);
                Long known = key == null ? null : knownKeys.get(key);
                if (known != null) {
                    ids[i] = known;
                    existing.set(i);
                } else {
                    ids[i] = newIds[nextId++];
                    if (key != null) {
                        knownKeys.put(key, ids[i]);
                    }
                    rows.add(batch, i, ids[i]);
                }
            }
            if (existing.cardinality() < ids.length) {
                statements.publication().due(batch.queue(), batch.runAt());
            }
            result.add(new Inserted(ids, existing));
        }
        rows.flush();
        return result;
    }

    /**
     * @return how many jobs of {@code batches} need no new id: their key is stored, or repeats an earlier job's
     *         key in the same call
     */
    private static int countKnown(List<JobBatch> batches, Map<String, Long> knownKeys) {
        Set<String> seen = new HashSet<>(knownKeys.keySet());
        int known = 0;
        for (JobBatch batch : batches) {
            for (int i = 0; i < batch.size(); i++) {
                String key = batch.keyAt(i);
                if (key != null && !seen.add(key)) {
                    known++;
                }
            }
        }
        return known;
    }

    /** Collects rows column by column and writes them in statements of {@link #ROWS_PER_STATEMENT}. */
    private static final class Rows {
        private final Statements statements;
        private final List<Object[]> rows = new ArrayList<>();

        Rows(Statements statements) {
            this.statements = statements;
        }

        void add(JobBatch batch, int index, long id) throws SQLException {
            rows.add(new Object[] {id, batch.arguments().get(index), batch.keyAt(index), batch.queue(), batch.task(),
                batch.sessionId(), (short) batch.priority(), batch.maxAttempts(), batch.backoff().initialMillis(),
                batch.backoff().multiplier(), batch.backoff().maxMillis(), batch.backoff().jitter(),
                batch.timeout() == null ? null : batch.timeout().toMillis(), Columns.time(batch.createdAt()),
                Columns.time(batch.runAt()), Columns.time(batch.expiresAt())});
            if (rows.size() == ROWS_PER_STATEMENT) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            String[] types = {"bigint", "text", "text", "text", "text", "text", "smallint", "integer", "bigint",
                "float8", "bigint", "float8", "bigint", "text", "text", "text"};
            PreparedStatement insert = statements.prepare(INSERT);
            for (int column = 0; column < types.length; column++) {
                Object[] values = new Object[rows.size()];
                for (int row = 0; row < values.length; row++) {
                    values[row] = rows.get(row)[column];
                }
                insert.setArray(column + 1, statements.array(types[column], values));
            }
            insert.executeUpdate();
            rows.clear();
        }
    }

    /** @return the stored jobs' ids for every idempotency key in {@code batches} that is already stored */
    private static Map<String, Long> storedKeys(Statements statements, List<JobBatch> batches) throws SQLException {
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
                "SELECT idempotency_key, id FROM jobs WHERE idempotency_key = ANY(?)");
        select.setArray(1, statements.array("text", keys.toArray()));
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                known.put(rs.getString(1), rs.getLong(2));
            }
        }
        return known;
    }
}
