package io.queuack.kernel.testkernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.BaseNotebookStatics;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;

/**
 * A Java kernel for tests that behaves like JJava 1.0-a7 wherever an extension can notice (the table in
 * {@code kernel-extension/README.md} says what it copies and what not): built on JJava's base library
 * ({@code jjava-jupyter}, the only part of JJava on Maven Central) and JShell, with JJava's default imports and no
 * more, its magic syntax and argument splitting, magic calls that return their value, cells on a thread of their own
 * that an interrupt message cancels ({@link CellExecution}), refused snippets raised in JJava's shape
 * ({@link CellShell}), and JJava's class loaders: extensions on the kernel's class path load at start-up, those on
 * {@value #CLASSPATH_VARIABLE} or added by {@code %classpath} through a child of the cells' loader. A test fixture,
 * not a product: no completion, no documentation lookup, no Maven magics.
 *
 * <p>Started by a Jupyter client from a kernelspec: {@code java ... JShellKernel {connection_file}}.
 */
public final class JShellKernel extends BaseKernel {

    /** Like JJava, the kernel adds the entries of this variable to the class path of cells and extensions. */
    static final String CLASSPATH_VARIABLE = "JJAVA_CLASSPATH";

    /** What JJava's notebook initializer imports, and nothing else. */
    static final List<String> IMPORTS = List.of("java.util.*", "java.io.*", "java.math.*", "java.net.*", "java.time.*",
            "java.util.concurrent.*", "java.util.prefs.*", "java.util.regex.*");

    private final CellShell shell;

    private JShellKernel(Builder builder, CellShell shell) {
        super(builder.name(), "1.0", new LanguageInfo("Java", Runtime.version().toString(), "text/x-java-source",
                        ".jshell", "java", "java", null), List.of(), builder.history(), builder.io(),
                builder.comms(), builder.renderer(), builder.parser(), builder.magics(), true, builder.errors());
        this.shell = shell;
    }

    public static void main(String[] args) throws Exception {
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(properties);
        JShellKernel kernel = new Builder().build();
        kernel.onStartup();
        kernel.addToClasspath(System.getenv(CLASSPATH_VARIABLE));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    /** @return a kernel started as {@link #main} starts it, without a connection: for tests of the kernel itself */
    public static JShellKernel forTests() {
        JShellKernel kernel = new Builder().build();
        kernel.onStartup();
        return kernel;
    }

    /** JJava's start-up: its notebook initializer's imports, then the extensions on the kernel's own class path. */
    @Override
    public void onStartup() {
        shell.eval(IMPORTS.stream().map(name -> "import " + name + ";").collect(Collectors.joining("\n"))
                + "\nimport static " + BaseNotebookStatics.class.getName() + ".*;");
        super.onStartup();
    }

    @Override
    public Object evalRaw(String source) {
        return shell.eval(magicParser.resolveMagics(source));
    }

    /** @return the kernel's JShell, as JJava's {@code JavaKernel.getJShell()} */
    public JShell getJShell() {
        return shell.jshell();
    }

    /**
     * Adds entries to the cells' class path and installs the extensions they carry, as JJava's
     * {@code JavaKernel.addToClasspath} does (for {@value #CLASSPATH_VARIABLE} at start-up and {@code %classpath}).
     */
    void addToClasspath(String classpath) {
        if (classpath == null || classpath.isBlank()) {
            return;
        }
        String resolved = PathsHandler.joinPaths(PathsHandler.splitAndResolveGlobs(classpath));
        shell.addToClasspath(resolved);
        installExtensions(resolved);
    }

    @Override
    public void interrupt() {
        shell.interrupt();
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
        SourceCodeAnalysis.Completeness completeness = shell.jshell().sourceCodeAnalysis().analyzeCompletion(code)
                .completeness();
        return completeness.isComplete() ? IS_COMPLETE_YES : completeness == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                ? "   " : IS_COMPLETE_BAD;
    }

    /** The loader cells run in: extensions are loaded through it (or a child of it), as in JJava. */
    @Override
    protected ClassLoader getClassLoader() {
        return shell.loader();
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        shell.close();
    }

    /** Builds the kernel with the base library's defaults and JJava's magics of the class path; exposes them. */
    static final class Builder extends BaseKernelBuilder<Builder, JShellKernel> {

        @Override
        public JShellKernel build() {
            lineMagic("classpath", (BaseKernel kernel, List<String> args) -> {
                ((JShellKernel) kernel).addToClasspath(classpath(args));
                return null;
            });
            lineMagic("jars", (BaseKernel kernel, List<String> args) -> {
                System.err.println("'%jars' magic is deprecated and will be removed in the future versions of JJava. "
                        + "A more generic '%classpath' should be used in its place.");
                ((JShellKernel) kernel).addToClasspath(classpath(args));
                return null;
            });
            return new JShellKernel(this, new CellShell());
        }

        private static String classpath(List<String> args) {
            return args.stream().flatMap(arg -> PathsHandler.resolveGlobs(arg).stream())
                    .map(path -> path.toAbsolutePath().toString()).collect(Collectors.joining(java.io.File.pathSeparator));
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
            return new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicCalls());
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler errors() {
            return buildErrorStyler();
        }
    }
}
