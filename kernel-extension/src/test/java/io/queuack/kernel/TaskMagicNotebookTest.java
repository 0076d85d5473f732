package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %%tasks compiles a cell into a TaskSet the kernel registers (worker processes load the same class); its errors
 * name the cell's lines; %queue processes refuses a store only this kernel can open. (Processes on PostgreSQL: the
 * scale-out notebook, run by the notebooks module.)
 */
class TaskMagicNotebookTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    @Test
    void aTaskSetCellRegistersItsTasksAndDagsAndExplainsItsMistakes() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("tasks", JupyterClient.notebook(
                "%%tasks ShopTasks\n"
                        + "import java.util.concurrent.atomic.AtomicInteger;\n"
                        + "// comments may come first\n"
                        + "AtomicInteger calls = new AtomicInteger();\n"
                        + "queue.register(\"square\", Integer.class, (ctx, n) -> n * n + calls.get() * 0);\n"
                        + "queue.register(Dag.builder(\"nightly\")\n"
                        + "        .task(\"extract\", () -> List.of(1, 2, 3))\n"
                        + "        .task(\"count\", ctx -> ctx.upstream(\"extract\", List.class).size()).after(\"extract\")\n"
                        + "        .build());",
                "long id = Session.queue().enqueue(\"square\", 7);",
                "%queue workers 1",
                "Session.queue().await(id, java.time.Duration.ofSeconds(30)); Session.queue().result(id, Integer.class)",
                "%dag run nightly --workers 1",
                "%%tasks Broken\nqueue.register(\"x\", Integer.class, (ctx, n) -> n);\nqueue.register(\"y\", Integer.class, (ctx, n) -> undefinedThing);",
                "%%tasks 9lives\nqueue.register(\"z\", Integer.class, (ctx, n) -> n);",
                "%%tasks Throws\nif (true) throw new IllegalStateException(\"not today\");",
                "%queue processes 2",
                "%queue processes",
                "%queue workers 0"));

        String defined = DagMagicsNotebookTest.outputText(cells.get(0).get("outputs"));
        assertTrue(defined.startsWith("Task set ShopTasks: tasks [square], DAGs [nightly]; registered on DuckDB in memory; compiled to "),
                defined);
        assertTrue(defined.contains("`%queue processes N` starts N worker processes"), defined);
        assertEquals("49", DagMagicsNotebookTest.outputText(cells.get(3).get("outputs")).strip(), "the kernel runs the task set's code");
        String run = cells.get(4).get("outputs").toString();
        assertTrue(run.contains("Run #1 of nightly SUCCEEDED"), "a DAG of a task set runs by name: " + run);
        String broken = errorText(cells.get(5).get("outputs"));
        assertTrue(broken.startsWith("%%tasks Broken does not compile (1 error;"), broken);
        assertTrue(broken.contains("line 2: cannot find symbol") && broken.contains("undefinedThing);"), broken);
        String name = DagMagicsNotebookTest.shortError(cells.get(6).get("outputs"));
        assertTrue(name.contains("takes a class name for the task set") && name.contains("'9lives'"), name);
        String thrown = errorText(cells.get(7).get("outputs"));
        assertTrue(thrown.startsWith("%%tasks Throws: its registrations failed: java.lang.IllegalStateException: not today"),
                thrown);
        String refused = DagMagicsNotebookTest.shortError(cells.get(8).get("outputs"));
        assertTrue(refused.startsWith("Worker processes need a store they can open too: `%queue open jdbc:postgresql:"),
                refused);
        String usage = DagMagicsNotebookTest.shortError(cells.get(9).get("outputs"));
        assertTrue(usage.contains("%queue processes takes how many worker processes to start"), usage);
        for (int i : new int[] {0, 1, 2, 3, 4, 10}) {
            assertTrue(!cells.get(i).toString().contains("\"error\"") && !cells.get(i).toString().contains("stderr"),
                    cells.get(i).toString());
        }
    }

    /** A mistake's message: the cell's one output, on the error stream, without a stack trace. */
    private static String errorText(JsonNode outputs) {
        assertEquals(1, outputs.size(), "one output: " + outputs);
        assertEquals("stderr", outputs.get(0).path("name").asText(), "on the error stream: " + outputs);
        String text = JupyterClient.text(outputs.get(0).get("text"));
        assertTrue(!text.contains("\tat "), "no stack trace: " + text);
        return text;
    }
}
