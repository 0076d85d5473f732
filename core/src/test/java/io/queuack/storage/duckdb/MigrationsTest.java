package io.queuack.storage.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.error.QueuackException;
import io.queuack.storage.sql.SqlScripts;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema scripts: all listed, numbered without gaps, applied once, and a newer schema refused. */
class MigrationsTest {

    @TempDir
    Path dir;

    @Test
    void everyShippedScriptIsListedInVersionOrder() throws IOException, URISyntaxException {
        Path folder = Path.of(Migrations.class.getResource(Migrations.SCRIPTS.get(0)).toURI()).getParent();
        List<String> shipped;
        try (Stream<Path> files = Files.list(folder)) {
            shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(shipped, Migrations.SCRIPTS);
        for (int i = 0; i < shipped.size(); i++) {
            assertTrue(shipped.get(i).startsWith("V" + (i + 1) + "__"), shipped.get(i));
        }
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        List<String> statements = SqlScripts.statements("-- note\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n y INT\n);\n");
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (\n y INT\n)"), statements);
        assertThrows(IllegalStateException.class, () -> SqlScripts.statements("CREATE TABLE c (x INT)"));
        List<String> withBody = SqlScripts.statements("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n    -- a comment in the body\n    RETURN 1;\nEND $$;\nCREATE TABLE d (x INT);\n");
        assertEquals(2, withBody.size(), withBody.toString());
        assertTrue(withBody.get(0).contains("RETURN 1;") && withBody.get(0).contains("-- a comment"), withBody.get(0));
    }

    @Test
    void aNewFileGetsTheLatestSchemaOnceAndReopeningAddsNothing() throws SQLException {
        Path file = dir.resolve("schema.duckdb");
        DuckDbStorage.open(file).close();
        DuckDbStorage.open(file).close();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version, description FROM queuack_schema ORDER BY version")) {
            for (int version = 1; version <= Migrations.latestVersion(); version++) {
                assertTrue(rs.next());
                assertEquals(version, rs.getInt(1));
                assertEquals(Migrations.SCRIPTS.get(version - 1), rs.getString(2));
            }
            assertFalse(rs.next(), "each script is applied once");
        }
    }

    @Test
    void aFileFromANewerQueuackIsRefusedUntouched() throws SQLException {
        Path file = dir.resolve("newer.duckdb");
        DuckDbStorage.open(file).close();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO queuack_schema VALUES (99, 'V99__future.sql', now())");
        }
        QueuackException refused = assertThrows(QueuackException.class, () -> Queuack.open(file));
        assertTrue(refused.getMessage().contains("schema version 99"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Upgrade queuack-core"), refused.getMessage());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(version) FROM queuack_schema")) {
            rs.next();
            assertEquals(99, rs.getInt(1));
        }
        Queuack.open(dir.resolve("other.duckdb")).close();
    }
}
