package io.queuack.storage.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use, named by the environment variable {@value #VARIABLE} (a JDBC URL with
 * credentials, e.g. {@code jdbc:postgresql://127.0.0.1:5432/queuack?user=queuack&password=queuack}). Without
 * it the PostgreSQL tests are skipped with a message; {@code .ci/run} starts a server and sets it. Each test
 * works in a schema of its own, dropped afterwards.
 */
public final class TestDatabase {

    public static final String VARIABLE = "QUEUACK_TEST_POSTGRES";

    private TestDatabase() {
    }

    /** @return the server's URL; skips the calling test when none is configured */
    public static String url() {
        String url = System.getenv(VARIABLE);
        assumeTrue(url != null && !url.isBlank(), "No PostgreSQL for the tests: set " + VARIABLE
                + "=jdbc:postgresql://127.0.0.1:5432/queuack?user=queuack&password=queuack (see README)");
        return url;
    }

    /** @return a new schema name, unique to the caller */
    public static String freshSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test schema " + schema, e);
        }
    }
}
