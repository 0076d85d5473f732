package io.queuack.storage.postgres;

import io.queuack.storage.sql.StatementSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The statements of one transaction on one pooled connection, closed when it ends. Preparing is cheap:
 * pgjdbc keeps each connection's server-side prepared statements by their SQL across statement objects.
 */
final class Statements implements StatementSource, AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> open = new HashMap<>();
    private final Publication publication;

    Statements(Connection connection, boolean jobEvents) {
        this.connection = connection;
        this.publication = new Publication(jobEvents);
    }

    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = open.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            open.put(sql, statement);
        }
        return statement;
    }

    @Override
    public Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type.toLowerCase(Locale.ROOT), values);
    }

    Connection connection() {
        return connection;
    }

    /** @return what this transaction tells other processes when it commits */
    Publication publication() {
        return publication;
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement statement : open.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
