package io.queuack.storage.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into a table with {@code COPY ... FROM STDIN} (text format) in the caller's transaction: the
 * fastest way into PostgreSQL, about three times the rows per second of an INSERT over arrays. Rows are buffered
 * and sent a megabyte at a time; nothing is sent for a call that adds no row.
 */
final class CopyRows {

    /** How COPY's text format writes SQL NULL. */
    static final String NULL = "\\N";
    private static final int FLUSH_BYTES = 1 << 20;

    private final Statements statements;
    private final String copy;
    private final StringBuilder buffer = new StringBuilder();
    private CopyIn stream;

    CopyRows(Statements statements, String copy) {
        this.statements = statements;
        this.copy = copy;
    }

    /** @return {@code value} escaped for COPY's text format ({@link #NULL} for null) */
    static String text(String value) {
        if (value == null) {
            return NULL;
        }
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? value : escaped.toString();
    }

    /** Adds a row: its id, argument and key, then the columns that {@code rest} holds already formatted. */
    void add(long id, String argument, String key, String rest) throws SQLException {
        buffer.append(id).append('\t').append(text(argument)).append('\t').append(text(key)).append('\t').append(rest)
                .append('\n');
        if (buffer.length() >= FLUSH_BYTES) {
            send();
        }
    }

    /** Sends what is buffered and ends the COPY. */
    void finish() throws SQLException {
        if (buffer.length() > 0) {
            send();
        }
        if (stream != null) {
            stream.endCopy();
            stream = null;
        }
    }

    /** Abandons a COPY under way after {@code failure}, so that the connection can roll back. */
    void cancel(Exception failure) {
        if (stream != null && stream.isActive()) {
            try {
                stream.cancelCopy();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
        stream = null;
    }

    private void send() throws SQLException {
        if (stream == null) {
            stream = statements.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        stream.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }
}
