package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README demo, small: two runs on one file, the second finding the first one's jobs. */
class QueueDemoTest {

    @TempDir
    Path dir;

    private String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new QueueDemo()).execute(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theQueueFileKeepsItsJobsBetweenRuns() {
        String file = dir.resolve("demo.duckdb").toString();
        String first = run("--file", file, "--jobs", "2000", "--workers", "2");
        assertTrue(first.contains("(new)"), first);
        assertTrue(first.contains("Enqueued 2,000 jobs"), first);
        assertTrue(first.matches("(?s).*default\\s+0\\s+0\\s+2,000\\s+0\\s+0.*"), first);

        String second = run("--file", file, "--jobs", "3000", "--workers", "2");
        assertTrue(second.contains("already holds 2,000 jobs from earlier runs"), second);
        assertTrue(second.matches("(?s).*default\\s+0\\s+0\\s+5,000\\s+0\\s+0.*"), second);
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertEquals(2, new CommandLine(new QueueDemo()).execute("--jobs", "0"));
    }
}
