package io.queuack.kernel.testkernel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * A small Java kernel for tests, built like JJava on its base library ({@code jjava-jupyter}) and JShell: cells
 * run in this JVM (JShell's local execution), magics go through the base library's parser and registry, and
 * extensions on the class path are installed at start-up. A test fixture, not a product: no completion, no
 * documentation lookup, no class path magics.
 *
 * <p>Started by a Jupyter client from a kernelspec: {@code java ... JShellKernel {connection_file}}.
 */
public final class JShellKernel extends BaseKernel {

    /** Like JJava, the kernel adds the entries of this variable to the class path of cells and extensions. */
    static final String CLASSPATH_VARIABLE = "JJAVA_CLASSPATH";

    private final JShell shell;
    private final ClassLoader cellLoader;

    private JShellKernel(Builder builder, JShell shell) {
        super(builder.name(), "1.0", new LanguageInfo("Java", Runtime.version().toString(), "text/x-java-source",
                        ".jshell", "java", "java", null), List.of(), builder.history(), builder.io(),
                builder.comms(), builder.renderer(), builder.parser(), builder.magics(), true, builder.errors());
        this.shell = shell;
        shell.eval("class QueuackCellLoaderProbe {}");
        this.cellLoader = (ClassLoader) Snippets.valueOf(shell, "QueuackCellLoaderProbe.class.getClassLoader()");
    }

    public static void main(String[] args) throws Exception {
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(properties);
        JShellKernel kernel = new Builder().build();
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        connection.waitUntilClose();
    }

    @Override
    public Object evalRaw(String source) {
        return Snippets.eval(shell, magicParser.resolveMagics(source));
    }

    /** {@code %jars a.jar b.jar}: adds jars to the cells' class path and installs the extensions they carry, as JJava does. */
    void addJars(List<String> jars) {
        for (String jar : jars) {
            if (!Files.isRegularFile(Path.of(jar))) {
                throw new IllegalArgumentException("%jars: no file " + jar);
            }
            shell.addToClasspath(jar);
        }
        installExtensions(cellLoader);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness completeness = shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        return completeness.isComplete() ? IS_COMPLETE_YES : completeness == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                ? "   " : IS_COMPLETE_BAD;
    }

    /**
     * The loader cells run in (which also sees {@value #CLASSPATH_VARIABLE}): extensions are loaded through it, so
     * that cells and extensions share their classes, as in JJava.
     */
    @Override
    protected ClassLoader getClassLoader() {
        return cellLoader;
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        shell.close();
    }

    /** Builds the kernel with the base library's defaults; exposes them to the constructor. */
    static final class Builder extends BaseKernelBuilder<Builder, JShellKernel> {

        @Override
        public JShellKernel build() {
            lineMagic("jars", (BaseKernel kernel, List<String> args) -> {
                ((JShellKernel) kernel).addJars(args);
                return null;
            });
            JShell shell = JShell.builder().executionEngine("local").out(System.out).err(System.err).build();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            String extra = System.getenv(CLASSPATH_VARIABLE);
            if (extra != null) {
                for (String entry : extra.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        shell.addToClasspath(entry);
                    }
                }
            }
            // the imports of jshell's DEFAULT start-up, which JJava users have too
            for (String imported : List.of("java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
                    "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*", "java.util.regex.*",
                    "java.util.stream.*")) {
                shell.eval("import " + imported + ";");
            }
            return new JShellKernel(this, shell);
        }

        String name() {
            return "queuack-test";
        }

        org.dflib.jjava.jupyter.kernel.history.HistoryManager history() {
            return buildHistoryManager();
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        MagicParser parser() {
            return new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler());
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler errors() {
            return buildErrorStyler();
        }
    }
}
