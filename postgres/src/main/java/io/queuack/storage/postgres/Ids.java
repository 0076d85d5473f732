package io.queuack.storage.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ids from the store's sequences. Many processes take ids at once, so the ids of one insert ascend but need
 * not be consecutive; a sequence never hands out an id twice, even after a purge or a rolled-back insert.
 */
final class Ids {

    static final String JOBS = "queuack_job_ids";
    static final String RUNS = "queuack_run_ids";

    private Ids() {
    }

    /** @return {@code count} new ids of {@code sequence}, ascending */
    static long[] take(Statements statements, String sequence, int count) throws SQLException {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        PreparedStatement select = statements.prepare("SELECT nextval('" + sequence + "') FROM generate_series(1, ?)");
        select.setInt(1, count);
        try (ResultSet rs = select.executeQuery()) {
            for (int i = 0; i < count && rs.next(); i++) {
                ids[i] = rs.getLong(1);
            }
        }
        java.util.Arrays.sort(ids);
        return ids;
    }
}
