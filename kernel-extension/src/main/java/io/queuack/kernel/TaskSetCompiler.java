package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.TaskSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Turns the statements of a {@code %%tasks} cell into a {@link TaskSet} class on disk, which worker processes load
 * from its folder and the kernel loads too: the cell's lines are the body of {@code register(Queuack queue)}, its
 * leading {@code import} lines go above the class, and the usual Queuack, {@code java.util} and {@code java.time}
 * packages are imported. Compiled with the JDK's compiler (the one the kernel runs on) against the jar Queuack was
 * loaded from; line numbers in errors are the cell's.
 */
final class TaskSetCompiler {

    /** What every task set's source imports. */
    static final String IMPORTS = "import io.queuack.*; import io.queuack.job.*; import io.queuack.dag.*;"
            + " import io.queuack.event.*; import io.queuack.error.*; import java.time.*; import java.util.*;"
            + " import java.util.function.*; import java.util.stream.*;";

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,99}");
    private static final Pattern IMPORT = Pattern.compile("\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*");
    /** Lines of the generated source above the cell's first line. */
    private static final int HEADER_LINES = 2;
    private static final int MAX_ERRORS_SHOWN = 5;

    private TaskSetCompiler() {
    }

    /** A compiled task set: where its classes are, and an instance loaded in this JVM. */
    record Compiled(String name, Path classes, TaskSet taskSet) {
    }

    /**
     * Writes, compiles and loads the task set {@code name} under {@code folder} (replacing an earlier one of that
     * name).
     */
    static Compiled compile(String name, String body, Path folder) {
        if (!CLASS_NAME.matcher(name).matches() || !SourceVersion.isName(name)) {
            throw new MagicException("%%tasks takes a class name for the task set, such as ShopTasks (letters, digits,"
                    + " _ or $, at most 100, not a Java keyword); got '" + name + "'");
        }
        if (body.isBlank()) {
            throw new MagicException("%%tasks " + name + ": the cell is empty; put the registrations under the magic,"
                    + " e.g. queue.register(\"square\", Integer.class, (ctx, n) -> n * n);");
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new MagicException("%%tasks compiles Java, and this kernel runs on a Java runtime without the"
                    + " compiler (the jdk.compiler module): start it on a JDK");
        }
        Path home = folder.resolve(name);
        Path classes = home.resolve("classes");
        Path source = home.resolve(name + ".java");
        try {
            deleteTree(home);
            Files.createDirectories(classes);
            Files.writeString(source, source(name, body), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("%%tasks " + name + ": cannot write " + home + ": " + e.getMessage(), e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", compileClassPath(), "-proc:none",
                    "-encoding", "UTF-8", "-implicit:none");
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(source.toFile())).call();
            if (!compiled) {
                throw new MagicException(errors(name, body, diagnostics.getDiagnostics()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("%%tasks " + name + ": " + e.getMessage(), e);
        }
        return new Compiled(name, classes, load(name, classes));
    }

    /** The generated source: line {@value #HEADER_LINES} + n is the cell's line n. */
    static String source(String name, String body) {
        List<String> imports = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of(body.split("\\R", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (IMPORT.matcher(line).matches()) {
                imports.add(line.strip());
                lines.set(i, "");
            } else if (!line.isBlank() && !line.strip().startsWith("//")) {
                break;
            }
        }
        return IMPORTS + " " + String.join(" ", imports) + "\n"
                + "/** Written by %%tasks " + name + " from a notebook cell. */ public final class " + name
                + " implements io.queuack.TaskSet { @Override public void register(io.queuack.Queuack queue) {\n"
                + String.join("\n", lines) + "\n}}\n";
    }

    private static String errors(String name, String body, List<Diagnostic<? extends JavaFileObject>> found) {
        String[] cell = body.split("\\R", -1);
        List<String> lines = new ArrayList<>();
        int shown = 0;
        for (Diagnostic<? extends JavaFileObject> diagnostic : found) {
            if (diagnostic.getKind() != Diagnostic.Kind.ERROR || shown++ == MAX_ERRORS_SHOWN) {
                continue;
            }
            long line = diagnostic.getLineNumber() - HEADER_LINES;
            String where = line >= 1 && line <= cell.length ? "line " + line + ": " : "";
            lines.add(where + diagnostic.getMessage(Locale.ROOT));
            if (line >= 1 && line <= cell.length) {
                lines.add("    " + cell[(int) line - 1].strip());
            }
        }
        long errors = found.stream().filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR).count();
        return "%%tasks " + name + " does not compile (" + errors + (errors == 1 ? " error" : " errors")
                + "; the cell is the body of register(Queuack queue), and sees only what it imports, not earlier"
                + " cells):\n" + String.join("\n", lines);
    }

    private static TaskSet load(String name, Path classes) {
        try {
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Queuack.class.getClassLoader());
            return (TaskSet) loader.loadClass(name).getConstructor().newInstance();
        } catch (MalformedURLException | ReflectiveOperationException e) {
            throw new MagicException("%%tasks " + name + ": the compiled class cannot be loaded: " + e);
        }
    }

    /** The jar (or class folder) Queuack came from, then this JVM's class path. */
    private static String compileClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(Queuack.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate Queuack's jar", e);
        }
        entries.addAll(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
        entries.remove("");
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
