package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.kernel.JupyterClient;
import io.queuack.kernel.JupyterRequirement;
import io.queuack.storage.postgres.FreshSchema;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out notebook, like {@link NotebooksTest} runs the others (Debian's Jupyter client, the test kernel with
 * the -all jar), on the test PostgreSQL server; skipped without one.
 */
class ScaleOutNotebookTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    /**
     * Three worker processes started from the notebook's cells run a DAG on PostgreSQL (a schema of this test's own
     * instead of the notebook's), while the kernel, which runs none of its tasks, follows it live; the picture and the
     * table name more than one process.
     */
    @Test
    void scaleOutAcrossWorkerProcesses() throws Exception {
        ObjectNode source = (ObjectNode) NotebooksTest.JSON.readTree(NotebooksTest.FOLDER.resolve("scale-out.ipynb").toFile());
        String notebookUrl = "jdbc:postgresql://localhost:5432/queuack?user=queuack&password=queuack"
                + "&currentSchema=scale_out_demo";
        String text = source.toString();
        assertTrue(text.contains(notebookUrl), "the notebook opens " + notebookUrl);
        ObjectNode onTestSchema = (ObjectNode) NotebooksTest.JSON.readTree(text.replace(notebookUrl, schema.url()));
        List<JsonNode> cells = NotebooksTest.run("scale-out", onTestSchema, new JupyterClient(dir,
                NotebooksTest.kernelClassPath(), true),
                JupyterClient.KERNEL);
        String all = cells.toString();
        assertTrue(all.contains("3 worker processes (pid "), all);
        assertTrue(all.contains("Task set SalesTasks: tasks [], DAGs [sales]"), all);
        String table = cellText(cells, "%queue workers", 0);
        assertEquals(3, table.split(" · ACTIVE · ", -1).length - 1, "three pools heartbeat: " + table);
        String run = cellText(cells, "%dag run sales --workers 0", 0);
        assertTrue(run.contains("Run #1 of sales SUCCEEDED"), run);
        assertTrue(NotebooksTest.displayUpdates(cells) >= 1, "the run's picture was redrawn while the processes ran it");
        Set<String> processes = new HashSet<>();
        Matcher on = Pattern.compile("· on ([^ <\"\\\\]+:\\d+)").matcher(run);
        while (on.find()) {
            processes.add(on.group(1));
        }
        assertTrue(processes.size() >= 2, "the picture names the processes that ran the tasks: " + processes + " in " + run);
        String byProcess = cellText(cells, "byProcess.forEach", 0);
        assertTrue(byProcess.contains("SUCCEEDED, report = 1799970000"), byProcess);
        assertTrue(byProcess.split(" ran \\[", -1).length - 1 >= 2, byProcess);
        String stopped = cellText(cells, "%queue workers", 1);
        assertEquals(3, stopped.split(" · STOPPED · ", -1).length - 1, "stopped cleanly: " + stopped);
    }

    /** @return the outputs of the {@code nth} code cell whose source contains {@code marker}, as text */
    private static String cellText(List<JsonNode> cells, String marker, int nth) {
        int seen = 0;
        for (JsonNode cell : cells) {
            boolean code = cell.path("cell_type").asText().equals("code");
            if (code && JupyterClient.text(cell.get("source")).contains(marker) && seen++ == nth) {
                return cell.path("outputs").toString();
            }
        }
        throw new AssertionError("no cell number " + nth + " with " + marker);
    }
}
