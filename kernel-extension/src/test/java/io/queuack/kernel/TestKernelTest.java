package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test kernel, started by a real Jupyter client, runs Java cells and reports results, output and errors. */
class TestKernelTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    @Test
    void cellsRunInOneSessionWithResultsStreamsAndErrors() throws Exception {
        List<JsonNode> outputs = new JupyterClient(dir).execute("basics", JupyterClient.notebook(
                "int answer = 6 * 7;",
                "answer + 1",
                "System.out.println(\"hello from \" + answer);",
                "throw new IllegalStateException(\"boom\");",
                "\"still alive: \" + answer"));

        assertEquals(0, outputs.get(0).size(), outputs.get(0).toString());
        assertEquals("43", JupyterClient.text(outputs.get(1).get(0).get("data").get("text/plain")), outputs.toString());
        assertEquals("hello from 42\n", JupyterClient.text(outputs.get(2).get(0).get("text")));
        JsonNode error = outputs.get(3).get(0);
        assertEquals("error", error.get("output_type").asText());
        assertTrue(error.toString().contains("boom"), error.toString());
        assertEquals("still alive: 42", JupyterClient.text(outputs.get(4).get(0).get("data").get("text/plain")));
    }
}
