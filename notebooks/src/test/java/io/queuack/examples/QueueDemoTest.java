package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README demo, small: runs on one file, later ones finding the earlier ones' jobs and results. */
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
    void theQueueFileKeepsItsJobsBetweenRuns() throws IOException {
        String file = dir.resolve("demo.duckdb").toString();
        String first = run("--file", file, "--jobs", "2000", "--workers", "2", "--day", "d1", "--orders", "100");
        assertTrue(first.contains("(new)"), first);
        assertTrue(first.contains("Enqueued 2,000 jobs"), first);
        assertTrue(first.matches("(?s).*default\\s+0\\s+0\\s+2,000\\s+0\\s+0.*"), first);

        String second = run("--file", file, "--jobs", "3000", "--workers", "2", "--day", "d1", "--orders", "100");
        // the ETL DAG's tasks are jobs on the same queue: 5 tasks and 6 fan-out elements
        assertTrue(second.contains("already holds 2,011 jobs from earlier runs"), second);
        assertTrue(second.matches("(?s).*default\\s+0\\s+0\\s+5,011\\s+0\\s+0.*"), second);
    }

    @Test
    void theEtlPipelineRunsDrawsItselfAndReusesUnchangedResults() throws IOException {
        String file = dir.resolve("demo.duckdb").toString();
        String first = run("--file", file, "--jobs", "10", "--day", "2026-01-05", "--orders", "1000");
        assertTrue(first.contains("└── ○ extract"), "the DAG is drawn before it runs\n" + first);
        assertTrue(first.contains("✓ extract  SUCCEEDED"), first);
        assertTrue(first.contains("attempt 2/3"), "the simulated failure is retried\n" + first);
        assertTrue(first.contains("✓ 5: islands"), "fan-out elements are labelled\n" + first);
        assertTrue(first.matches("(?s).*Run #\\d+ SUCCEEDED in \\d+ ms; reused from earlier runs: 0 of 5 tasks, 0 of 6"
                + " fan-out elements.*"), first);
        assertTrue(first.contains("Streamed 6,000 orders through Arrow into 6 datasets"), first);
        assertTrue(Files.isDirectory(dir.resolve("demo.duckdb.data").resolve("runs")), "datasets sit beside the queue file");
        assertTrue(first.contains("Weak regions: [north, south, east, west]"), first);

        List<String> report = Files.readAllLines(dir.resolve("queuack-demo-sales-2026-01-05.csv"));
        assertEquals(7, report.size(), report.toString());
        assertEquals("region,orders,revenue", report.get(0));
        assertTrue(report.get(1).matches("(islands|central),9\\d\\d,\\d+\\.\\d\\d"),
                "sorted by revenue, highest first: " + report);
        assertTrue(Files.readString(dir.resolve("queuack-demo-etl.svg")).contains("</svg>"));
        assertTrue(Files.readString(dir.resolve("queuack-demo-etl.mmd")).contains("flowchart"));

        String again = run("--file", file, "--jobs", "10", "--day", "2026-01-05", "--orders", "1000");
        assertTrue(again.contains("reused from earlier runs: 4 of 5 tasks, 6 of 6 fan-out elements"), again);
        String otherDay = run("--file", file, "--jobs", "10", "--day", "2026-01-06", "--orders", "1000");
        assertTrue(otherDay.contains("reused from earlier runs: 0 of 5 tasks, 0 of 6 fan-out elements"),
                "run parameters are part of every task's inputs\n" + otherDay);
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertEquals(2, new CommandLine(new QueueDemo()).execute("--jobs", "0"));
        assertEquals(2, new CommandLine(new QueueDemo()).execute("--day", "../etc"));
    }
}
