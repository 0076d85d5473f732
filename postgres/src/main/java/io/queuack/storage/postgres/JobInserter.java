package io.queuack.storage.postgres;

import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.sql.JobSql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inserts job batches: the fresh jobs of every batch of a call stream into {@code jobs} through one COPY (the
 * columns a batch shares are formatted once). An idempotency key already stored (or
 * inserted by another process at the same moment: the unique index refuses it and the transaction runs again)
 * returns the stored job.
 */
final class JobInserter {

    private static final String COPY = "COPY jobs (id, arguments, idempotency_key, queue, task, session_id, status,"
            + " priority, attempts, max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, backoff_jitter,"
            + " timeout_ms, created_at, run_at, expires_at, limit_key) FROM STDIN";

    private JobInserter() {
    }

    static List<Inserted> insert(Statements statements, List<JobBatch> batches) throws SQLException {
        Map<String, Long> knownKeys = JobSql.storedKeys(statements, batches);
        int fresh = 0;
        for (JobBatch batch : batches) {
            fresh += batch.size();
        }
        long[] newIds = Ids.take(statements, Ids.JOBS, fresh - countKnown(batches, knownKeys));
        int nextId = 0;
        CopyRows rows = new CopyRows(statements, COPY);
        List<Inserted> result = new ArrayList<>(batches.size());
        try {
            for (JobBatch batch : batches) {
                String template = template(batch);
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
                        rows.add(ids[i], batch.arguments().get(i), batch.keyAt(i), template);
                    }
                }
                if (existing.cardinality() < ids.length) {
                    statements.publication().due(batch.queue(), batch.runAt());
                }
                result.add(new Inserted(ids, existing));
            }
            rows.finish();
        } catch (SQLException | RuntimeException e) {
            rows.cancel(e);
            throw e;
        }
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

    /** @return the columns after id, argument and key that every job of {@code batch} shares, as COPY text */
    private static String template(JobBatch batch) {
        return String.join("\t", CopyRows.text(batch.queue()), CopyRows.text(batch.task()),
                CopyRows.text(batch.sessionId()), "pending", String.valueOf(batch.priority()), "0",
                String.valueOf(batch.maxAttempts()), String.valueOf(batch.backoff().initialMillis()),
                String.valueOf(batch.backoff().multiplier()), String.valueOf(batch.backoff().maxMillis()),
                String.valueOf(batch.backoff().jitter()),
                batch.timeout() == null ? CopyRows.NULL : String.valueOf(batch.timeout().toMillis()),
                CopyRows.text(Columns.time(batch.createdAt())), CopyRows.text(Columns.time(batch.runAt())),
                CopyRows.text(Columns.time(batch.expiresAt())), CopyRows.text(batch.limitKey()));
    }
}
