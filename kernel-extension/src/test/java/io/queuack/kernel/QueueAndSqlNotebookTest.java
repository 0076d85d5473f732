package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %queue operates the session's queue and %%sql queries datasets and the queue's tables, in a real client. */
class QueueAndSqlNotebookTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    @Test
    void queueOperationsSqlAndDagValidationErrors() throws Exception {
        String file = dir.resolve("session.duckdb").toString().replace("\\", "/");
        String data = dir.resolve("points.arrow").toString().replace("\\", "/");
        List<JsonNode> cells = new JupyterClient(dir).executeCells("queue-sql", JupyterClient.notebook(
                "%queue open " + file,
                "var queue = io.queuack.kernel.Session.queue();\n"
                        + "queue.register(\"flaky\", Integer.class, (ctx, n) -> { if (n % 2 == 0) throw new IllegalStateException(\"even \" + n); return n; });\n"
                        + "queue.enqueueAll(\"flaky\", List.of(1, 2, 3, 4), JobOptions.defaults().maxAttempts(1));",
                "%queue workers 2",
                "Thread.sleep(1500);",
                "%queue",
                "%queue dead",
                "%queue jobs --status SUCEEDED",
                "record Point(long id, double value) {}\n"
                        + "import java.nio.file.Path;\nimport java.util.stream.LongStream;\n"
                        + "Dataset points = Datasets.writer(Path.of(\"" + data + "\")).writeRecords(LongStream.range(0, 100).mapToObj(i -> new Point(i, i)), Point.class);",
                "%%sql top --use p=points\nSELECT id, value FROM p WHERE value >= 90 ORDER BY id",
                "top.rowCount()",
                "%%sql failed --queue\nSELECT status, count(*) AS n FROM jobs GROUP BY status ORDER BY status",
                "%%sql\nSELECT nope FROM nothing",
                "%%dag loop\na <- b : 1\nb <- a : 2",
                "%queue workers",
                "%queue workers 0"));

        String stats = DagMagicsNotebookTest.outputText(cells.get(4).get("outputs"));
        assertTrue(stats.contains("default: 2 succeeded, 2 dead"), stats);
        assertTrue(cells.get(4).get("outputs").toString().contains("<th>waiting</th>"), "stats show as an HTML table");
        String dead = DagMagicsNotebookTest.outputText(cells.get(5).get("outputs"));
        assertTrue(dead.startsWith("Dead letters (2)"), dead);
        assertTrue(cells.get(5).get("outputs").toString().contains("IllegalStateException: even 4"), "errors are listed");
        String unknown = DagMagicsNotebookTest.outputText(cells.get(6).get("outputs"));
        assertTrue(unknown.contains("Unknown job status 'SUCEEDED' (did you mean 'SUCCEEDED'?)"), unknown);
        assertTrue(cells.get(8).get("outputs").toString().contains("top: 10 rows × 2 columns"),
                cells.get(8).get("outputs").toString());
        assertEquals("10", DagMagicsNotebookTest.outputText(cells.get(9).get("outputs")).strip(), "bound as a Table");
        assertTrue(cells.get(10).get("outputs").toString().contains("<td>dead</td><td>2</td>"),
                cells.get(10).get("outputs").toString());
        String refused = DagMagicsNotebookTest.outputText(cells.get(11).get("outputs"));
        assertTrue(refused.startsWith("DuckDB refused the SQL:"), refused);
        String loop = DagMagicsNotebookTest.outputText(cells.get(12).get("outputs"));
        assertTrue(loop.startsWith("%%dag loop:") && loop.contains("cycle"), loop);
        String pools = DagMagicsNotebookTest.outputText(cells.get(13).get("outputs"));
        assertTrue(pools.startsWith("Worker pools of DuckDB file") && pools.contains("default×1 · 2 threads")
                && pools.contains("ACTIVE"), pools);
        assertTrue(cells.get(13).get("outputs").toString().contains("<th>heartbeat</th>"), "an HTML table");
        assertEquals("Workers stopped", DagMagicsNotebookTest.outputText(cells.get(14).get("outputs")).strip());
    }

    @Test
    void sqlTakesItsTablesByNameUnderTheKernelsArgumentSplitting() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("sql-use", JupyterClient.notebook(
                "record P(long id) {}\n"
                        + "var made = Session.queue().run(Dag.builder(\"made\").task(\"points\", Generator.of(P.class)\n"
                        + "        .rows(ctx -> java.util.stream.LongStream.range(0, 5).mapToObj(P::new))).build());",
                "%%sql n --use p=made.points\nSELECT count(*) AS n FROM p",
                "%%sql --use made\nSELECT sum(id) AS total FROM points",
                "Dataset kept = made.result(\"points\", Dataset.class);",
                "%%sql --use k=kept\nSELECT max(id) AS top FROM k",
                "%%sql --use r=made.result(\"points\", Dataset.class)\nSELECT 1",
                "%%sql --use r=nowhere\nSELECT 1",
                "%%sql --use r=made\nSELECT 1",
                "%sql --help",
                "%sql SELECT 1",
                "n.rowCount()",
                "Datasets.writer(java.nio.file.Path.of(\"local.arrow\")).writeRecords(java.util.stream.Stream.of(new P(7)), P.class);",
                "%%sql --use l=local.arrow\nSELECT id FROM l"));

        assertTrue(cells.get(1).get("outputs").toString().contains("<td>5</td>"), cells.get(1).toString());
        assertTrue(cells.get(2).get("outputs").toString().contains("<td>10.0</td>"), "every dataset of the run by task name: "
                + cells.get(2));
        assertTrue(cells.get(4).get("outputs").toString().contains("<td>4</td>"), cells.get(4).toString());
        assertTrue(DagMagicsNotebookTest.shortError(cells.get(5).get("outputs"))
                .contains("splits magic arguments at spaces and drops double quotes"), cells.get(5).toString());
        assertEquals("%%sql --use r=nowhere: no variable nowhere in this session\n",
                DagMagicsNotebookTest.shortError(cells.get(6).get("outputs")));
        assertTrue(DagMagicsNotebookTest.shortError(cells.get(7).get("outputs")).contains("name its task: --use r=made.<task>"));
        assertTrue(DagMagicsNotebookTest.outputText(cells.get(8).get("outputs")).contains("--use sales=etl.sales"));
        assertTrue(DagMagicsNotebookTest.shortError(cells.get(9).get("outputs")).contains("on the lines under %%sql"));
        assertEquals("1", DagMagicsNotebookTest.outputText(cells.get(10).get("outputs")).strip());
        assertTrue(cells.get(12).get("outputs").toString().contains("<td>7</td>"), "a file named like run.task: "
                + cells.get(12));
    }

    @Test
    void aRunWhoseInMemoryQueueWasClosedSaysSoInOneLine() throws Exception {
        String file = dir.resolve("later.duckdb").toString().replace("\\", "/");
        List<JsonNode> cells = new JupyterClient(dir).executeCells("closed-queue", JupyterClient.notebook(
                "DagRun before = Session.queue().run(Dag.builder(\"early\").task(\"a\", () -> 1).build());",
                "%queue open " + file,
                "before",
                "%dag show before",
                "%queue"));

        for (int cell : new int[] {2, 3}) {
            String text = DagMagicsNotebookTest.outputText(cells.get(cell).get("outputs"));
            assertTrue(text.startsWith("DAG run #1: ") && text.contains("(DuckDB in memory) is closed.")
                    && text.contains("were in memory and went with it"), cells.get(cell).toString());
            assertTrue(!cells.get(cell).toString().contains("\"error\"") && !text.contains("\tat "), cells.get(cell).toString());
        }
        assertTrue(DagMagicsNotebookTest.outputText(cells.get(4).get("outputs")).contains("later.duckdb"));
    }
}
