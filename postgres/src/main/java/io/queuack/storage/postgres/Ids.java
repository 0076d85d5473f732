package io.queuack.storage.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ids from the store's sequences, a block per insert ({@code queuack_take_ids} in the schema reserves it under
 * a short advisory lock, so the blocks of processes inserting at once never overlap). A sequence never hands out
 * an id twice, even after a purge or a rolled-back insert.
 */
final class Ids {

    static final String JOBS = "queuack_job_ids";
    static final String RUNS = "queuack_run_ids";

    private Ids() {
    }

    /** @return {@code count} new consecutive ids of {@code sequence}, ascending (one round trip) */
    static long[] take(Statements statements, String sequence, int count) throws SQLException {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        PreparedStatement select = statements.prepare("SELECT queuack_take_ids(?, ?)");
        select.setString(1, sequence);
        select.setInt(2, count);
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            long first = rs.getLong(1);
            for (int i = 0; i < count; i++) {
                ids[i] = first + i;
            }
        }
        return ids;
    }
}
