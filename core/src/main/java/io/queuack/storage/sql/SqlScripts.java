package io.queuack.storage.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The numbered schema scripts that SQL stores ship as resources next to their classes. */
public final class SqlScripts {

    private SqlScripts() {
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
