package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.queuack.kernel.JupyterClient;
import io.queuack.kernel.JupyterRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code cell} blocks of {@code docs/notebooks.md}, in order, as one notebook on the test kernel with the
 * {@code -all} jar, through a real Jupyter client: a {@code cell} block may print no error; a {@code cell-error} block
 * must print exactly the one short message the guide quotes after it ("prints `...`").
 */
class NotebookGuideTest {

    private static final Pattern BLOCK = Pattern.compile("```(cell|cell-error)\\n(.*?)```(?:\\s*prints `([^`]*)`)?",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    record Block(String source, String expectedError) {
    }

    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            boolean error = matcher.group(1).equals("cell-error");
            if (error && matcher.group(3) == null) {
                fail("a cell-error block must be followed by: prints `<the message>`\n" + matcher.group(2));
            }
            blocks.add(new Block(matcher.group(2).stripTrailing(), error ? matcher.group(3) : null));
        }
        return blocks;
    }

    @Test
    void everyCellOfTheNotebooksGuideRunsAndEveryMistakeReadsAsTheGuideSays() throws Exception {
        List<Block> blocks = blocks(Files.readString(Path.of("..", "docs", "notebooks.md")));
        assertFalse(blocks.isEmpty());
        JupyterClient client = new JupyterClient(dir, NotebooksTest.kernelClassPath(), true);
        List<JsonNode> cells = client.executeCells("notebooks-guide", JupyterClient.notebook(
                blocks.stream().map(Block::source).toArray(String[]::new)));
        assertEquals(blocks.size(), cells.size());
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode outputs = cells.get(i).get("outputs");
            StringBuilder errors = new StringBuilder();
            for (JsonNode output : outputs) {
                if (output.path("output_type").asText().equals("error") || output.path("name").asText().equals("stderr")) {
                    errors.append(output.has("text") ? JupyterClient.text(output.get("text")) : output.toString());
                }
            }
            Block block = blocks.get(i);
            if (block.expectedError() == null) {
                assertEquals("", errors.toString(), "guide cell " + (i + 1) + " failed:\n" + block.source());
            } else {
                assertTrue(errors.toString().startsWith(block.expectedError()), "guide cell " + (i + 1) + " printed:\n"
                        + errors + "\nthe guide says:\n" + block.expectedError());
                assertFalse(errors.toString().contains("\tat "), "no stack trace: " + errors);
            }
        }
        String all = cells.toString();
        assertTrue(all.contains("Run #1 of daily_sales SUCCEEDED") && all.contains("Run #2 of daily_sales SUCCEEDED"), all);
        assertTrue(all.contains("bySensor: 4 rows × 3 columns"), all);
    }
}
