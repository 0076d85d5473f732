package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DAG magics in a real Jupyter client: build from text, bind, draw, run with live progress, errors. */
class DagMagicsNotebookTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    static String outputText(JsonNode outputs) {
        StringBuilder text = new StringBuilder();
        for (JsonNode output : outputs) {
            if (output.has("text")) {
                text.append(JupyterClient.text(output.get("text")));
            }
            if (output.has("data") && output.get("data").has(MimeBundle.TEXT)) {
                text.append(JupyterClient.text(output.get("data").get(MimeBundle.TEXT))).append('\n');
            }
            if (output.has("evalue")) {
                text.append("ERROR ").append(output.get("evalue").asText()).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void aDagCellBuildsBindsDrawsAndRunsWithLiveProgress() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("dag-magics", JupyterClient.notebook(
                "int base = 10;",
                "%%dag etl --run\n"
                        + "# a comment line\n"
                        + "extract                          : List.of(1, 2, 3)\n"
                        + "scale   <- extract   retries=2   : ctx.upstream(\"extract\", List.class).size() * base\n"
                        + "report  <- scale     timeout=30s : {\n"
                        + "    Thread.sleep(600);\n"
                        + "    System.out.println(\"report \" + ctx.upstream(\"scale\", Integer.class));\n"
                        + "  }",
                "etl.tasks().size()",
                "%%dag broken\na : 1\nb <- a retires=3 : 2",
                "%dag run etl --workers 2",
                "%dag rn etl",
                "%dag resume etl 999",
                "base + 1"));

        JsonNode dagCell = cells.get(1);
        String text = outputText(dagCell.get("outputs"));
        assertFalse(text.contains("ERROR"), text);
        assertTrue(text.contains("report 30"), text);
        assertTrue(text.contains("Run #1 of etl SUCCEEDED"), text);
        assertTrue(dagCell.get("outputs").toString().contains("image/svg+xml"), "the DAG is drawn");
        assertTrue(dagCell.path("metadata").path("queuack_display_updates").asInt() >= 2,
                "the live run output was updated in place: " + dagCell.get("metadata"));
        assertEquals("3", outputText(cells.get(2).get("outputs")).strip(), "the DAG is bound to a variable named etl");

        JsonNode brokenOutputs = cells.get(3).get("outputs");
        String broken = outputText(brokenOutputs);
        assertEquals("stderr", brokenOutputs.get(0).path("name").asText(), brokenOutputs.toString());
        assertTrue(broken.startsWith("%%dag line 2, column 8: unknown option 'retires' (did you mean 'retries'?)"), broken);
        assertFalse(broken.contains("\tat "), "no stack trace: " + broken);

        assertTrue(outputText(cells.get(4).get("outputs")).contains("Run #2 of etl SUCCEEDED"));
        assertTrue(outputText(cells.get(5).get("outputs")).contains("unknown command 'rn' (did you mean 'run'?)"));
        assertTrue(outputText(cells.get(6).get("outputs")).contains("No DAG run with id 999 is stored"));
        assertEquals("11", outputText(cells.get(7).get("outputs")).strip(), "the session is still usable");
        assertTrue(dagCell.get("outputs").toString().contains("queuack-timeline"), "the run shows a timeline");
    }

    /** @return the text of a cell's only output, which must be one short message on stderr, without a stack trace */
    static String shortError(JsonNode outputs) {
        assertEquals(1, outputs.size(), "one output: " + outputs);
        assertEquals("stderr", outputs.get(0).path("name").asText(), "on the error stream: " + outputs);
        String text = JupyterClient.text(outputs.get(0).get("text"));
        assertFalse(text.contains("\tat ") || text.contains("Exception"), "no stack trace, no kernel exception: " + text);
        assertTrue(text.lines().count() <= 4, "short: " + text);
        return text;
    }

    @Test
    void everyMistakeInADagMagicIsOneShortMessageAndTheNextCellWorks() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("dag-mistakes", JupyterClient.notebook(
                "int base = 10;",
                "%%dag unknown\na : 1\nb <- a : ctx.upstream(\"a\", Integer.class) + undefinedThing",
                "%%dag syntax\na : 1\nb <- a : {\n    int x = 1;\n    return x +;\n  }",
                "%%dag unclosed\na : { return 1;\nb <- a : 2",
                "%%dag types\na : \"text\".noSuchMethod()",
                "%dag run nothingHere",
                "%dag run base",
                "%%dag import\na : 1",
                "%dag run import",
                "%dag --help",
                "base + 1"));

        assertTrue(shortError(cells.get(1).get("outputs")).startsWith(
                "%%dag unknown, line 2 (task b), column 45: cannot find symbol"), cells.get(1).toString());
        assertTrue(shortError(cells.get(2).get("outputs")).startsWith(
                "%%dag syntax, line 4 (task b), column 15: illegal start of expression"), cells.get(2).toString());
        String unclosed = shortError(cells.get(3).get("outputs"));
        assertEquals("%%dag unclosed, line 1 (task a), column 5: this '{' is never closed\n", unclosed);
        assertTrue(shortError(cells.get(4).get("outputs")).contains("line 1 (task a), column 5: cannot find symbol"));
        assertEquals("%dag run: no variable or DAG named nothingHere in this session\n",
                shortError(cells.get(5).get("outputs")));
        assertTrue(shortError(cells.get(6).get("outputs")).contains("base holds a java.lang.Integer, not a DAG"));
        assertTrue(cells.get(7).toString().contains("DAG import is bound to the variable import_"), cells.get(7).toString());
        assertTrue(cells.get(8).toString().contains("Run #1 of import SUCCEEDED"), cells.get(8).toString());
        assertTrue(outputText(cells.get(9).get("outputs")).contains("%dag resume <name> <run id>"));
        assertTrue(outputText(cells.get(9).get("outputs")).contains("%%dag <name> [--run] [--workers N]"));
        assertEquals("11", outputText(cells.get(10).get("outputs")).strip(), "the session is still usable");
    }

    @Test
    void aLiveRunRunsExactlyItsTasksOnEveryQueueTheyUse() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("dag-queues", JupyterClient.notebook(
                "var queue = Session.queue();\nqueue.register(\"other\", ctx -> \"not the run's\");\n"
                        + "long other = queue.enqueue(\"other\");",
                "%%dag spread --run\nfetch queue=io : 20\ncompute <- fetch queue=cpu : ctx.upstream(\"fetch\", Integer.class) + 1\n"
                        + "report <- compute : \"got \" + ctx.upstream(\"compute\", Integer.class)",
                "queue.job(other).get().status()"));

        assertTrue(outputText(cells.get(1).get("outputs")).contains("Run #1 of spread SUCCEEDED"), cells.get(1).toString());
        assertEquals("PENDING", outputText(cells.get(2).get("outputs")).strip(), "the run's pool took no other job");
    }

    @Test
    void anInterruptedRunStopsAtOnceSaysSoAndCanBeResumedLive() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).interact("dag-interrupt", List.of(
                JupyterClient.cell("%%dag slow\nwait : { System.out.println(\"waiting\"); Thread.sleep(120_000); return 1; }\n"
                        + "after <- wait : 2\nquick : 3", null),
                JupyterClient.cell("%dag run slow", "waiting"),
                JupyterClient.cell("1 + 1", null),
                JupyterClient.cell("%%dag other --run\nx : 1\ny <- x : 2", null),
                JupyterClient.cell("%dag runs slow", null),
                JupyterClient.cell("%%dag slow\nwait : 1\nafter <- wait : 2\nquick : 3", null),
                JupyterClient.cell("%dag resume slow 1", null),
                JupyterClient.cell("%dag cancel 1", null)));

        JsonNode interrupted = cells.get(1);
        assertEquals("error", interrupted.get("reply").asText(), "the kernel ended the cell as interrupted: " + interrupted);
        String said = interrupted.get("outputs").toString() + outputText(cells.get(2).get("outputs"))
                + outputText(cells.get(3).get("outputs"));
        assertTrue(said.contains("Interrupted: run #1 of slow stopped") && said.contains("`%dag resume slow 1`"),
                "said in the cell, or else by the next magic: " + cells);
        assertEquals("2", outputText(cells.get(2).get("outputs")).strip());
        assertTrue(outputText(cells.get(3).get("outputs")).contains("Run #2 of other SUCCEEDED"), cells.get(3).toString());
        assertTrue(cells.get(3).get("seconds").asDouble() < 30, "nothing left behind slows the next run: " + cells.get(3));
        assertTrue(outputText(cells.get(4).get("outputs")).contains("#1 ") && outputText(cells.get(4).get("outputs"))
                .contains("RUNNING"), "the interrupted run stays as it was: " + cells.get(4));
        JsonNode resumed = cells.get(6);
        assertTrue(resumed.get("display_updates").asInt() >= 1, "resume shows live progress: " + resumed);
        assertTrue(outputText(resumed.get("outputs")).contains("Run #1 of slow SUCCEEDED"), resumed.toString());
        assertTrue(outputText(cells.get(7).get("outputs")).contains("had already finished: SUCCEEDED"));
    }

    @Test
    void theSessionsQueueDagsAndRunsSurviveJJavaResettingVariables() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("dag-redeclare", JupyterClient.notebook(
                "int helper() { return 1; }",
                "var plainDag = Dag.builder(\"plain\").task(\"a\", () -> helper()).build();\n"
                        + "var queue = Session.queue();",
                "%%dag cellDag --run\na : helper()\nb <- a : ctx.upstream(\"a\", Integer.class) + 1",
                "var firstRun = Session.queue().dagRuns(\"cellDag\", 1).get(0);",
                "int helper() { return 2; }",
                "plainDag == null",
                "%dag run plainDag",
                "%dag run cellDag",
                "Session.queue() == queue",
                "%dag runs cellDag",
                "firstRun.result(\"b\", Integer.class)"));

        assertTrue(outputText(cells.get(2).get("outputs")).contains("Run #1 of cellDag SUCCEEDED"), cells.get(2).toString());
        assertEquals("true", outputText(cells.get(5).get("outputs")).strip(), "JJava reset the var (issue #128)");
        assertTrue(shortError(cells.get(6).get("outputs")).contains("plainDag is null (JJava resets a variable"));
        assertTrue(outputText(cells.get(7).get("outputs")).contains("Run #2 of cellDag SUCCEEDED"), cells.get(7).toString());
        assertEquals("true", outputText(cells.get(8).get("outputs")).strip(), "the same session queue");
        assertTrue(outputText(cells.get(9).get("outputs")).contains("#1 ") && outputText(cells.get(9).get("outputs"))
                .contains("#2 "), cells.get(9).toString());
        assertEquals("2", outputText(cells.get(10).get("outputs")).strip());
    }
}
