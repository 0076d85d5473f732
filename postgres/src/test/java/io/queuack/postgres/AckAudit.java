package io.queuack.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts acknowledgements outside the queue's code: a trigger the test installs on {@code jobs} records every
 * update that stores SUCCEEDED (a second, unfenced acknowledgement of a job would add a second row), with the
 * server's clock.
 */
final class AckAudit {

    private AckAudit() {
    }

    static void install(String url, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + schema + ".test_acks (job_id BIGINT NOT NULL, owner TEXT,"
                    + " at_micros BIGINT NOT NULL)");
            statement.execute("CREATE FUNCTION " + schema + ".test_count_ack() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN INSERT INTO " + schema + ".test_acks VALUES (NEW.id, OLD.owner,"
                    + " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint); RETURN NEW; END $$");
            statement.execute("CREATE TRIGGER test_acks AFTER UPDATE ON " + schema + ".jobs FOR EACH ROW"
                    + " WHEN (NEW.status = 'succeeded') EXECUTE FUNCTION " + schema + ".test_count_ack()");
        }
    }

    /** @return for every acknowledged job, how often it was acknowledged and (in {@code firstAck}) when first */
    static Map<Long, Integer> acks(String url, String schema, Map<Long, Long> firstAck) throws SQLException {
        Map<Long, Integer> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT job_id, count(*), min(at_micros) FROM " + schema
                     + ".test_acks GROUP BY job_id")) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getInt(2));
                firstAck.put(rs.getLong(1), rs.getLong(3));
            }
        }
        return counts;
    }
}
