package io.queuack.storage.duckdb;

import io.queuack.storage.sql.StatementSource;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Prepared statements kept for reuse on the store's single connection (preparing costs DuckDB's
 * JDBC driver up to a millisecond). The driver closes a statement after a failed execution, so the
 * store drops the whole cache whenever a transaction fails. Not thread-safe: used under the store's lock.
 */
final class Statements implements StatementSource {

    private final DuckDBConnection connection;
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    Statements(DuckDBConnection connection) {
        this.connection = connection;
    }

    /** @return a prepared statement for {@code sql}; do not close it */
    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = cache.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            cache.put(sql, statement);
        }
        return statement;
    }

    @Override
    public Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    DuckDBConnection connection() {
        return connection;
    }

    /** Closes and forgets every statement; failures to close are added to {@code failure}. */
    void clear(Exception failure) {
        for (PreparedStatement statement : cache.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
        cache.clear();
    }
}
