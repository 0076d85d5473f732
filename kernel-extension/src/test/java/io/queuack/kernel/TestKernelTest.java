package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.queuack.kernel.testkernel.CellShell;
import io.queuack.kernel.testkernel.CompilationException;
import io.queuack.kernel.testkernel.IncompleteSourceException;
import io.queuack.kernel.testkernel.JShellKernel;
import java.nio.file.Path;
import java.util.List;
import jdk.jshell.EvalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kernel behaves like JJava 1.0-a7 where an extension can notice (each check is a behaviour seen in the real
 * kernel, see {@code kernel-extension/README.md}): started by a real Jupyter client, it runs cells in one session,
 * imports what JJava imports and no more, and stops a cell on an interrupt message; its magics split arguments and
 * return values as JJava's; refused snippets are raised in JJava's shape; redefining a method resets the
 * {@code var}s that depend on it.
 */
class TestKernelTest {

    @TempDir
    Path dir;

    @Test
    void cellsRunInOneSessionWithResultsStreamsAndErrors() throws Exception {
        JupyterRequirement.check();
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

    @Test
    void onlyJJavasDefaultImportsAreThere() throws Exception {
        JupyterRequirement.check();
        List<JsonNode> outputs = new JupyterClient(dir).execute("imports", JupyterClient.notebook(
                "new ArrayList<>(List.of(1, 2)).size() + LocalDate.of(2026, 1, 2).getDayOfMonth()",
                "Path.of(\"x\")",
                "Stream.of(1).count()",
                "import java.nio.file.Path;\nPath.of(\"x\").toString()"));

        assertEquals("4", JupyterClient.text(outputs.get(0).get(0).get("data").get("text/plain")), outputs.toString());
        assertTrue(outputs.get(1).toString().contains("CompilationException"), "java.nio.file is not imported: " + outputs);
        assertTrue(outputs.get(2).toString().contains("CompilationException"), "java.util.stream is not imported");
        assertEquals("x", JupyterClient.text(outputs.get(3).get(0).get("data").get("text/plain")));
    }

    @Test
    void anInterruptMessageStopsTheCellAndTheKernelGoesOn() throws Exception {
        JupyterRequirement.check();
        List<JsonNode> cells = new JupyterClient(dir).interact("interrupt", List.of(
                JupyterClient.cell("for (int i = 0; ; i++) {\n    System.out.println(\"sleeping \" + i);\n"
                        + "    Thread.sleep(1_000);\n}", "sleeping"),
                JupyterClient.cell("1 + 1", null)));

        assertEquals("error", cells.get(0).get("reply").asText(), cells.toString());
        assertTrue(cells.get(0).get("outputs").toString().contains("EvaluationInterruptedException"), cells.toString());
        assertTrue(cells.get(0).get("seconds").asDouble() < 60, "the cell ended when interrupted: " + cells);
        assertEquals("2", JupyterClient.text(cells.get(1).get("outputs").get(0).get("data").get("text/plain")));
    }

    @Test
    void magicArgumentsAreSplitAtSpacesWithoutDoubleQuotesAndMagicsReturnTheirValue() {
        JShellKernel kernel = JShellKernel.forTests();
        try {
            kernel.getMagicsRegistry().registerCellMagic("echo", (org.dflib.jjava.jupyter.kernel.BaseKernel k, List<String> args, String body) -> List.of(args, body));
            kernel.getMagicsRegistry().registerLineMagic("echo", (org.dflib.jjava.jupyter.kernel.BaseKernel k, List<String> args) -> args);

            assertEquals(List.of(List.of("--use", "r=x.result(rows", ",", "Dataset.class)"), "SELECT 1"),
                    kernel.evalRaw("%%echo --use r=x.result(\"rows\", Dataset.class)\nSELECT 1"));
            assertEquals(List.of("a b", "c\"d"), kernel.evalRaw("%echo \"a b\" c\\\"d"));
            assertThrows(CompilationException.class, () -> kernel.evalRaw("%%echo --help"),
                    "a cell magic needs a line under it; alone it is Java (which javac refuses)");
        } finally {
            kernel.onShutdown(false);
        }
    }

    @Test
    void refusedAndFailingSnippetsAreRaisedInJJavasShape() {
        try (CellShell shell = new CellShell()) {
            CompilationException refused = assertThrows(CompilationException.class, () -> shell.eval("int x = nope;"));
            assertTrue(shell.jshell().diagnostics(refused.getBadSnippetCompilation().snippet())
                    .anyMatch(d -> d.getMessage(null).contains("cannot find symbol")));
            assertEquals("int y = (", assertThrows(IncompleteSourceException.class, () -> shell.eval("int y = (")).getSource());
            RuntimeException threw = assertThrows(RuntimeException.class,
                    () -> shell.eval("throw new IllegalStateException(\"boom\");"));
            assertEquals("java.lang.IllegalStateException, boom", threw.getMessage());
            assertEquals("java.lang.IllegalStateException", assertInstanceOf(EvalException.class, threw.getCause())
                    .getExceptionClassName());
        }
    }

    @Test
    void redefiningAMethodResetsTheVarsThatDependOnItAsInJJava() {
        try (CellShell shell = new CellShell()) {
            shell.eval("int f() { return 1; }");
            shell.eval("var inferred = f();");
            shell.eval("Integer typed = f();");
            shell.eval("int f() { return 2; }");
            assertEquals(0, shell.eval("inferred"), "JJava issue #128: the var starts again from its default");
            assertEquals(1, shell.eval("typed"), "an explicitly typed variable keeps its value");
            assertNull(shell.eval("String s = null; s"));
        }
    }
}
