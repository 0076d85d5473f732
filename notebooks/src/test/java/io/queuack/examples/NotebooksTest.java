package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.kernel.JupyterClient;
import io.queuack.kernel.JupyterRequirement;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook of this folder end to end with Debian's real Jupyter client, against the test kernel
 * (JJava's base library) carrying only the self-contained {@code queuack-kernel-*-all.jar}: no cell may produce an
 * error or write to stderr, and the notebooks must show what they are about (SVG, HTML, Mermaid, live updates).
 */
class NotebooksTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path FOLDER = Path.of(".");

    @TempDir
    Path dir;


    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    /** The kernel's class path: JJava's base library and its libraries, the test kernel, and Queuack's one jar. */
    static String kernelClassPath() throws Exception {
        return baseKernelClassPath() + File.pathSeparator + allJar();
    }

    static Path allJar() throws Exception {
        try (var jars = Files.list(Path.of("..", "kernel-extension", "target"))) {
            return jars.filter(jar -> jar.getFileName().toString().matches("queuack-kernel-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("build kernel-extension first: its -all.jar is missing"))
                    .toAbsolutePath();
        }
    }

    /** The test kernel without Queuack: JJava's base library, its libraries and the test kernel's classes. */
    static String baseKernelClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : JupyterClient.testClassPath().split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("(jjava-jupyter|gson|jeromq|jnacl|slf4j-api).*\\.jar") || name.matches("queuack-kernel-.*-tests\\.jar")
                    || entry.replace('\\', '/').endsWith("kernel-extension/target/test-classes")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    List<JsonNode> run(String notebook) throws Exception {
        return run(notebook, new JupyterClient(dir, kernelClassPath(), true), JupyterClient.KERNEL);
    }

    List<JsonNode> run(String notebook, JupyterClient client, String kernel) throws Exception {
        ObjectNode source = (ObjectNode) JSON.readTree(FOLDER.resolve(notebook).toFile());
        return run(notebook, source, client, kernel);
    }

    static List<JsonNode> run(String notebook, ObjectNode source, JupyterClient client, String kernel) throws Exception {
        List<JsonNode> cells = client.executeCells(notebook.replace(".ipynb", ""), source, kernel);
        for (JsonNode cell : cells) {
            for (JsonNode output : cell.path("outputs")) {
                boolean error = output.path("output_type").asText().equals("error")
                        || output.path("name").asText().equals("stderr");
                if (error) {
                    fail(notebook + ": a cell failed:\n" + JupyterClient.text(cell.get("source")) + "\n--- output:\n" + output);
                }
            }
        }
        return cells;
    }

    static Set<String> mimeTypes(List<JsonNode> cells) {
        Set<String> types = new HashSet<>();
        for (JsonNode cell : cells) {
            for (JsonNode output : cell.path("outputs")) {
                output.path("data").fieldNames().forEachRemaining(types::add);
            }
        }
        return types;
    }

    static int displayUpdates(List<JsonNode> cells) {
        int updates = 0;
        for (JsonNode cell : cells) {
            updates += cell.path("metadata").path("queuack_display_updates").asInt();
        }
        return updates;
    }

    /** Runs Binder's kernelspec script on the kernelspec {@code base} found in {@code client}'s folder. */
    static JsonNode writeBinderSpec(JupyterClient client, String base, String name, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(JupyterClient.PYTHON.toString(), Path.of("..", "binder",
                "write_kernelspec.py").toString(), "--jar", allJar().toString(), "--base", base, "--name", name,
                "--prefix", client.folder().toString()));
        command.addAll(List.of(more));
        ProcessBuilder writer = new ProcessBuilder(command).redirectErrorStream(true);
        writer.environment().put("JUPYTER_PATH", client.folder().toString());
        Process script = writer.start();
        String printed = new String(script.getInputStream().readAllBytes());
        assertEquals(0, script.waitFor(), printed);
        return JSON.readTree(client.folder().resolve("kernels").resolve(name).resolve("kernel.json").toFile());
    }

    /**
     * Binder's kernelspec script on a spec shaped as JJava 1.0-a7 ships it: everything of JJava's spec is kept (its
     * launcher argv, interrupt by message, metadata), and the flags go to JJAVA_JVM_OPTS, which reaches the JVM JJava's
     * launcher starts for the kernel (flags in argv would reach only the launcher). The unsafe-access flag only from
     * Java 23 on, where it exists.
     */
    @Test
    void binderKernelspecKeepsJJavasSpecAndGivesTheFlagsToTheKernelsJvm() throws Exception {
        JupyterClient client = new JupyterClient(dir, baseKernelClassPath(), false);
        Path jjava = Files.createDirectories(client.folder().resolve("kernels").resolve("java"));
        Files.writeString(jjava.resolve("kernel.json"), """
                {
                    "argv": ["java", "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar", "{connection_file}"],
                    "display_name": "Java (jjava)",
                    "language": "java",
                    "interrupt_mode": "message",
                    "env": {
                    },
                    "metadata": {
                    }
                }""");
        JsonNode original = JSON.readTree(jjava.resolve("kernel.json").toFile());
        for (int release : List.of(17, 25)) {
            JsonNode spec = writeBinderSpec(client, "java", "queuack-" + release, "--java-release", String.valueOf(release));
            assertEquals(List.of("java", "-jar", jjava + "/jjava-launcher.jar", jjava + "/jjava.jar", "{connection_file}"),
                    JSON.convertValue(spec.get("argv"), List.class), "JJava's launcher command, unchanged: " + spec);
            assertEquals("message", spec.get("interrupt_mode").asText(), "an interrupt stays a message: " + spec);
            assertEquals(original.get("metadata"), spec.get("metadata"));
            assertEquals(original.get("language"), spec.get("language"));
            Set<String> fields = new HashSet<>();
            original.fieldNames().forEachRemaining(fields::add);
            spec.fieldNames().forEachRemaining(field -> assertTrue(fields.contains(field), "no field JJava lacks: " + field));
            assertEquals(fields.size(), spec.size(), "every field of JJava's spec: " + spec);
            List<String> options = List.of(spec.get("env").get("JJAVA_JVM_OPTS").asText().split(" "));
            assertTrue(options.containsAll(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--enable-native-access=ALL-UNNAMED")), spec.toString());
            assertEquals(release >= 23, options.contains("--sun-misc-unsafe-memory-access=allow"), spec.toString());
            assertTrue(spec.get("env").get("JJAVA_CLASSPATH").asText().endsWith("-all.jar"), spec.toString());
        }
    }

    /**
     * The same script on a kernel that runs in the JVM its argv starts (the test kernel, like IJava): the flags go after
     * {@code java}, and a notebook that needs Arrow runs on the spec it wrote.
     */
    @Test
    void binderKernelspecOnASingleJvmKernelRunsANotebookThatNeedsArrow() throws Exception {
        JupyterClient client = new JupyterClient(dir, baseKernelClassPath(), false);
        JsonNode spec = writeBinderSpec(client, JupyterClient.KERNEL, "queuack-binder");
        assertTrue(spec.get("argv").get(1).asText().equals("--add-opens=java.base/java.nio=ALL-UNNAMED"), spec.toString());
        assertEquals("message", spec.get("interrupt_mode").asText());

        List<JsonNode> cells = run("sql-over-outputs.ipynb", client, "queuack-binder");
        assertTrue(cells.toString().contains("bySensor: 10 rows × 4 columns"), "Arrow and SQL worked");
    }

    /**
     * Loading the jar at run time with {@code %classpath} (JJava's way; {@code %jars} is deprecated there), into a
     * kernel started without Queuack and without Arrow's flag: the magics and renderers arrive with the jar, and the
     * missing-flag advice is told once, in the cell that loaded it.
     */
    @Test
    void theJarLoadsAtRunTimeWithPercentClasspath() throws Exception {
        JupyterClient client = new JupyterClient(dir, baseKernelClassPath(), false);
        List<JsonNode> cells = client.executeCells("classpath", JupyterClient.notebook(
                "%classpath " + allJar(),
                "%%dag late\nfirst : 1\nsecond <- first : ctx.upstream(\"first\", Integer.class) + 1",
                "%queue",
                "late.tasks().size()"));
        String all = cells.toString();
        assertEquals(1, all.split("Arrow datasets and %%sql need the JVM flag", -1).length - 1, "the advice, once: " + all);
        assertTrue(cells.get(0).toString().contains("JJAVA_JVM_OPTS"), "in the cell that loaded the jar: " + cells.get(0));
        for (JsonNode cell : cells.subList(1, cells.size())) {
            assertTrue(!cell.toString().contains("\"error\"") && !cell.toString().contains("stderr"), cell.toString());
        }
        assertTrue(cells.get(1).toString().contains("image/svg+xml"), "magics and renderers arrived with the jar");
        assertEquals("2", JupyterClient.text(cells.get(3).get("outputs").get(0).get("data").get("text/plain")));
    }

    @Test
    void everyNotebookHereIsCovered() throws Exception {
        try (var files = Files.list(FOLDER)) {
            List<String> notebooks = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".ipynb"))
                    .sorted().toList();
            assertEquals(List.of("etl-streaming.ipynb", "queue-operations.ipynb", "quickstart.ipynb", "scale-out.ipynb",
                    "schedules.ipynb", "sql-over-outputs.ipynb"), notebooks, "a new notebook needs its test (below, or a class of its own)");
        }
    }

    /** The jshell version of the quickstart, through the real jshell tool with the start-up script and the -all jar. */
    @Test
    void quickstartScriptRunsInJshell() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                "--class-path", allJar().toString(), "-R--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-R--enable-native-access=ALL-UNNAMED", "--startup", "DEFAULT", "--startup",
                Path.of("..", "kernel-extension", "jshell", "queuack.jsh").toAbsolutePath().toString(),
                Path.of("quickstart.jsh").toAbsolutePath().toString());
        Process jshell = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jshell.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(jshell.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), output);
        assertEquals(0, jshell.exitValue(), output);
        assertTrue(output.contains("└── ○ list"), output);
        assertTrue(output.contains("Run #1 of hello SUCCEEDED"), output);
        assertTrue(output.contains("measured 3 files"), output);
        assertTrue(output.contains("100000 rows in 2 batches"), output);
        assertTrue(!output.contains("Exception") && !output.contains("Error:"), output);
    }

    @Test
    void quickstart() throws Exception {
        List<JsonNode> cells = run("quickstart.ipynb");
        assertTrue(mimeTypes(cells).containsAll(Set.of("image/svg+xml", "text/vnd.mermaid", "text/html")), mimeTypes(cells)
                .toString());
        assertTrue(displayUpdates(cells) >= 1, "the run's live output was updated in place");
        assertTrue(cells.toString().contains("measured 3 files"), "the DAG ran and its result is read back");
        assertTrue(cells.toString().contains("21"), "the plain Java DAG ran");
    }

    @Test
    void schedulesBackfillsAndLimits() throws Exception {
        List<JsonNode> cells = run("schedules.ipynb");
        String all = cells.toString();
        assertTrue(all.contains("daily · DAG 'daily' · unix cron 30 2 * * * (at 02:30) in Europe/Paris"), all);
        assertTrue(all.contains("<th>next fire</th>") && all.contains("<td>daily-6h</td>"), "the schedules' table");
        assertTrue(all.contains("21 slots, 21 succeeded"), "the backfill ran every day");
        assertTrue(all.contains("report  ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓"), "its grid as text");
        assertTrue(displayUpdates(cells) >= 1, "the backfill's grid was updated in place");
        assertTrue(all.contains("key:account-* (one at a time, per key)"), "the limits' table");
        assertTrue(all.contains("daily-6h · DAG 'daily' · every 6h") && all.contains("· paused"), all);
    }

    @Test
    void etlWithStreaming() throws Exception {
        List<JsonNode> cells = run("etl-streaming.ipynb");
        assertTrue(mimeTypes(cells).containsAll(Set.of("image/svg+xml", "text/html")), mimeTypes(cells).toString());
        assertTrue(displayUpdates(cells) >= 1, "the run's live output was updated in place");
        String all = cells.toString();
        assertTrue(all.contains("400,000 rows in 8 batches"), "the dataset handle shows its size");
        assertTrue(all.contains("1,000 rows × 2 columns"), "the preview shows the table's size");
    }

    @Test
    void queueOperations() throws Exception {
        List<JsonNode> cells = run("queue-operations.ipynb");
        String all = cells.toString();
        assertTrue(all.contains("Dead letters (4)"), "orders 5, 10, 15 and 20 failed twice and are dead");
        assertTrue(all.contains("IllegalStateException: order"), "the dead letter's error is shown");
        assertTrue(all.contains("<th>waiting</th>"), "stats are an HTML table");
        assertTrue(all.contains("(manual customer)"), "retried jobs ran with the fixed task");
    }

    @Test
    void sqlOverOutputs() throws Exception {
        List<JsonNode> cells = run("sql-over-outputs.ipynb");
        String all = cells.toString();
        assertTrue(all.contains("bySensor: 10 rows × 4 columns"), "one row per sensor");
        assertTrue(all.contains("hottest: 5 rows × 2 columns"), "a task's dataset by run.task");
        assertTrue(all.contains("<td>tiny</td>") || all.contains("dag:tiny"), "the queue's own jobs are queryable: " + all);
        assertTrue(Arrays.asList(mimeTypes(cells).toArray()).contains("text/html"));
    }
}
