package io.queuack.storage;

import java.util.BitSet;

/**
 * The outcome of inserting one {@link JobBatch}.
 *
 * @param ids      one id per job of the batch, in order; for a job whose idempotency key was already
 *                 stored (or repeated earlier in the same call), the id of that earlier job
 * @param existing indexes of the jobs that were not stored because of their idempotency key
 */
public record Inserted(long[] ids, BitSet existing) {

    /** @return how many new jobs were stored */
    public int createdCount() {
        return ids.length - existing.cardinality();
    }
}
