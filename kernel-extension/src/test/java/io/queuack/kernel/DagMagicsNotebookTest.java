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
}
