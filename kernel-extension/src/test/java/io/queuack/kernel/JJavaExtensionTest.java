package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension on the kernel's class path is installed at start-up (ServiceLoader, as in JJava): the API is
 * imported and Queuack's values display with their rich MIME types, through a real Jupyter client.
 */
class JJavaExtensionTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    static JsonNode data(JsonNode outputs) {
        for (JsonNode output : outputs) {
            if (output.has("data")) {
                return output.get("data");
            }
        }
        throw new AssertionError("no display data in " + outputs + " (cell outputs: " + outputs + ")");
    }

    static List<String> mimeTypes(JsonNode data) {
        List<String> types = new ArrayList<>();
        data.fieldNames().forEachRemaining(types::add);
        return types;
    }

    @Test
    void aKernelWithoutArrowsFlagIsToldTheFixOnceAndDagsStillWork() throws Exception {
        List<JsonNode> outputs = new JupyterClient(dir, JupyterClient.testClassPath(), false).execute("no-flag",
                JupyterClient.notebook("Dag.builder(\"d\").task(\"a\", () -> 1).build()",
                        "Datasets.writer(java.nio.file.Path.of(\"x.arrow\"))"));

        String all = outputs.toString();
        assertTrue(all.contains("Queuack: Arrow datasets and %%sql need the JVM flag --add-opens=java.base/java.nio=ALL-UNNAMED"),
                all);
        assertTrue(all.contains("kernel.json"), all);
        assertTrue(data(outputs.get(0)).has(MimeBundle.SVG), "the DAG still draws: " + all);
        assertTrue(outputs.get(1).toString().contains("Apache Arrow needs the JVM flag"), "Arrow itself says so too: " + all);
    }

    @Test
    void dagsDatasetsAndTablesDisplayRichlyWithTheApiImported() throws Exception {
        String file = dir.resolve("points.arrow").toString().replace("\\", "/");
        List<JsonNode> outputs = new JupyterClient(dir).execute("extension", JupyterClient.notebook(
                "Dag etl = Dag.builder(\"etl\").task(\"extract\", () -> 1).task(\"load\", () -> 2).after(\"extract\").build();",
                "etl",
                "record Point(long id, double value) {}\n"
                        + "Dataset points = Datasets.writer(java.nio.file.Path.of(\"" + file + "\")).batchSize(100)\n"
                        + "        .writeRecords(java.util.stream.LongStream.range(0, 1_000).mapToObj(i -> new Point(i, i * 0.5)), Point.class);",
                "points",
                "points.read().toTable()"));

        assertEquals(0, outputs.get(0).size(), "imports made Dag and the builder known: " + outputs);
        assertEquals(1, outputs.get(1).size(), outputs.toString());
        JsonNode dag = data(outputs.get(1));
        assertTrue(mimeTypes(dag).containsAll(List.of(MimeBundle.SVG, MimeBundle.MERMAID, MimeBundle.TEXT)), dag.toString());
        assertTrue(JupyterClient.text(dag.get(MimeBundle.SVG)).contains("</svg>"));
        assertTrue(JupyterClient.text(dag.get(MimeBundle.MERMAID)).contains("extract"));
        assertEquals(0, outputs.get(2).size(), outputs.get(2).toString());
        JsonNode dataset = data(outputs.get(3));
        assertTrue(JupyterClient.text(dataset.get(MimeBundle.HTML)).contains("1,000 rows in 10 batches"), dataset.toString());
        assertTrue(JupyterClient.text(dataset.get(MimeBundle.HTML)).contains("<td>value</td><td>DOUBLE</td>"));
        JsonNode table = data(outputs.get(4));
        assertTrue(JupyterClient.text(table.get(MimeBundle.HTML)).contains("1,000 rows × 2 columns (first 10 shown)"),
                table.toString());
    }
}
