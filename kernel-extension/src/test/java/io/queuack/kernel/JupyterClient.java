package io.queuack.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.kernel.testkernel.JShellKernel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs notebooks through Debian's real Jupyter client ({@code python3-nbclient}) against {@link JShellKernel},
 * started as a kernel process from a kernelspec this class writes (found through {@code JUPYTER_PATH}).
 */
public final class JupyterClient {

    public static final String KERNEL = "queuack-test";
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final String kernelClassPath;
    private final boolean arrowFlag;

    /** A client whose test kernel runs on this test JVM's class path, with Arrow's JVM flag. */
    public JupyterClient(Path folder) throws IOException {
        this(folder, testClassPath(), true);
    }

    /**
     * @param kernelClassPath the test kernel's class path (e.g. JJava's base library plus one Queuack jar)
     * @param arrowFlag       whether the kernel JVM gets {@code --add-opens=java.base/java.nio=ALL-UNNAMED}
     */
    public JupyterClient(Path folder, String kernelClassPath, boolean arrowFlag) throws IOException {
        this.folder = folder;
        this.kernelClassPath = kernelClassPath;
        this.arrowFlag = arrowFlag;
        writeKernelSpec();
    }

    /** @return the folder this client's kernelspecs live in ({@code JUPYTER_PATH}) */
    public Path folder() {
        return folder;
    }

    /** @return whether the client packages are installed (CI installs them: see .ci/run) */
    public static boolean available() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import nbclient, nbformat, jupyter_client")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    /** @return a notebook of code cells, one per source */
    public static ObjectNode notebook(String... cells) {
        ObjectNode notebook = JSON.createObjectNode();
        notebook.put("nbformat", 4).put("nbformat_minor", 5);
        ObjectNode metadata = notebook.putObject("metadata");
        metadata.putObject("kernelspec").put("name", KERNEL).put("display_name", "Java (Queuack test kernel)")
                .put("language", "java");
        ArrayNode list = notebook.putArray("cells");
        for (int i = 0; i < cells.length; i++) {
            ObjectNode cell = list.addObject();
            cell.put("cell_type", "code").put("id", "cell-" + i).put("source", cells[i]);
            cell.putObject("metadata");
            cell.putArray("outputs");
            cell.putNull("execution_count");
        }
        return notebook;
    }

    /** @return a notebook text field, which nbformat stores as one string or as a list of lines */
    public static String text(JsonNode field) {
        if (field == null) {
            return null;
        }
        if (!field.isArray()) {
            return field.asText();
        }
        StringBuilder joined = new StringBuilder();
        field.forEach(line -> joined.append(line.asText()));
        return joined.toString();
    }

    /** Executes a notebook and returns each code cell's outputs. */
    public List<JsonNode> execute(String name, ObjectNode notebook) throws IOException, InterruptedException {
        List<JsonNode> outputs = new ArrayList<>();
        for (JsonNode cell : executeCells(name, notebook)) {
            outputs.add(cell.get("outputs"));
        }
        return outputs;
    }

    /** Executes a notebook and returns its executed cells (outputs, metadata). */
    public List<JsonNode> executeCells(String name, ObjectNode notebook) throws IOException, InterruptedException {
        return executeCells(name, notebook, KERNEL);
    }

    /** Like {@link #executeCells(String, ObjectNode)}, on another kernelspec found in this client's folder. */
    public List<JsonNode> executeCells(String name, ObjectNode notebook, String kernel)
            throws IOException, InterruptedException {
        Path source = folder.resolve(name + ".ipynb");
        Path executed = folder.resolve(name + ".executed.ipynb");
        JSON.writeValue(source.toFile(), notebook);
        Path script = script("execute_notebook.py");
        run(new ProcessBuilder(PYTHON.toString(), script.toString(), source.toString(), executed.toString(), kernel,
                "120"), source);
        List<JsonNode> cells = new ArrayList<>();
        JSON.readTree(executed.toFile()).get("cells").forEach(cells::add);
        return cells;
    }

    /**
     * Runs cells one at a time through {@code jupyter_client} (see {@code run_cells.py}), interrupting a cell as soon as
     * one of its outputs contains its {@code interrupt_on} text.
     *
     * @param cells {@code {"source": ..., "interrupt_on": ...}} objects
     * @return per cell: {@code outputs}, {@code reply} (ok or error), {@code display_updates}, {@code seconds}
     */
    public List<JsonNode> interact(String name, List<ObjectNode> cells) throws IOException, InterruptedException {
        Path source = folder.resolve(name + ".cells.json");
        Path results = folder.resolve(name + ".results.json");
        JSON.writeValue(source.toFile(), cells);
        Path script = script("run_cells.py");
        run(new ProcessBuilder(PYTHON.toString(), script.toString(), source.toString(), results.toString(), KERNEL, "240"),
                source);
        List<JsonNode> records = new ArrayList<>();
        JSON.readTree(results.toFile()).forEach(records::add);
        return records;
    }

    /** @return a cell for {@link #interact}, interrupted when an output shows {@code interruptOn} (null: never) */
    public static ObjectNode cell(String source, String interruptOn) {
        ObjectNode cell = JSON.createObjectNode().put("source", source);
        if (interruptOn != null) {
            cell.put("interrupt_on", interruptOn);
        }
        return cell;
    }

    /** @return one of this class's Python scripts, copied into the folder */
    private Path script(String name) throws IOException {
        Path script = folder.resolve(name);
        try (InputStream in = JupyterClient.class.getResourceAsStream("/jupyter/" + name)) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    private void run(ProcessBuilder builder, Path source) throws IOException, InterruptedException {
        builder.redirectErrorStream(true);
        builder.environment().put("JUPYTER_PATH", folder.toString());
        builder.environment().put("JUPYTER_RUNTIME_DIR", folder.resolve("runtime").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("The Jupyter client failed to run " + source + ":\n" + output);
        }
    }

    /** @return this test JVM's class path as entries (Surefire may start it from a manifest-only jar) */
    public static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void writeKernelSpec() throws IOException {
        Path spec = Files.createDirectories(folder.resolve("kernels").resolve(KERNEL));
        ObjectNode kernel = JSON.createObjectNode();
        ArrayNode argv = kernel.putArray("argv");
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Setup.flags().stream().filter(flag -> arrowFlag || !flag.equals(Setup.ADD_OPENS)).forEach(argv::add);
        argv.add("-cp").add(kernelClassPath);
        argv.add(JShellKernel.class.getName()).add("{connection_file}");
        // as JJava's own kernelspec: an interrupt is a message to the kernel (a signal would end its JVM)
        kernel.put("display_name", "Java (Queuack test kernel)").put("language", "java").put("interrupt_mode", "message");
        JSON.writerWithDefaultPrettyPrinter().writeValue(spec.resolve("kernel.json").toFile(), kernel);
    }
}
