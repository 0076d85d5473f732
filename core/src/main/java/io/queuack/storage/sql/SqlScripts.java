package io.queuack.storage.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The numbered schema scripts that SQL stores ship as resources next to their classes. */
public final class SqlScripts {

    private SqlScripts() {
    }

    /**
     * Runs schema script {@code name} (next to {@code owner}) on {@code connection} and records it as
     * {@code version} in {@code queuack_schema}, in the caller's transaction.
     */
    public static void apply(Connection connection, Class<?> owner, int version, String name) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(read(owner, name))) {
                statement.execute(sql);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO queuack_schema (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, version);
            insert.setString(2, name);
            insert.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /** @return the highest version recorded in {@code queuack_schema} (0 if none) */
    public static int appliedVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM queuack_schema")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Splits a script into statements at semicolons that end a line, except inside a dollar-quoted body
     * ({@code $$ ... $$}, as in a function); drops comment-only lines outside such bodies.
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!inBody && (trimmed.startsWith("--") || trimmed.isEmpty())) {
                continue;
            }
            current.append(line).append('\n');
            if (line.split("\\$\\$", -1).length % 2 == 0) {
                inBody = !inBody;
            }
            if (!inBody && trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("Schema script does not end with ';': " + current);
        }
        return statements;
    }

    /** @return the text of the script {@code name} next to {@code owner} in its jar */
    public static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Schema script " + name + " is missing beside " + owner.getName()
                        + " (a damaged or repackaged jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema script " + name, e);
        }
    }
}
