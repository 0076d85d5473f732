package io.queuack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs every {@code java} block of a Markdown guide, in order, in one JShell session, as a notebook user
 * would paste them, so that guides' examples stay runnable. A snippet that does not compile, refers to
 * something undefined or throws fails the calling test with the block it came from. Files the guide opens
 * ({@code Path.of("...")}) go to a temporary folder. Public so that other modules' guides use it too.
 */
public final class GuideRunner {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private GuideRunner() {
    }

    /**
     * @param guide   the Markdown file
     * @param folder  where the guide's {@code Path.of("...")} files go
     * @param cleanup snippets run after the last block, or after the block that failed (e.g. closing what the
     *                guide opened)
     */
    public static void runJavaBlocks(Path guide, Path folder, String... cleanup) throws IOException {
        runJavaBlocks(guide, folder, Map.of(), cleanup);
    }

    /**
     * As {@link #runJavaBlocks(Path, Path, String...)}, with each key of {@code replacements} in the blocks
     * replaced by its value first, in the map's order (e.g. the guide's example server URL by the test's).
     */
    public static void runJavaBlocks(Path guide, Path folder, Map<String, String> replacements, String... cleanup)
            throws IOException {
        String markdown = Files.readString(guide);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            markdown = markdown.replace(replacement.getKey(), replacement.getValue());
        }
        List<String> blocks = javaBlocks(markdown);
        assertFalse(blocks.isEmpty(), "no java blocks in " + guide);
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            try {
                for (int i = 0; i < blocks.size(); i++) {
                    String block = blocks.get(i).replace("Path.of(\"", "Path.of(\"" + folder.toString().replace('\\', '/')
                            + "/");
                    run(shell, block, i + 1);
                }
            } finally {
                for (String snippet : cleanup) {
                    run(shell, snippet, blocks.size() + 1);
                }
            }
        }
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    /** Evaluates a block snippet by snippet. */
    private static void run(JShell shell, String block, int number) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = block;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                fail("Block " + number + " ends with an incomplete snippet:\n" + rest + "\n--- block:\n" + block);
            }
            for (SnippetEvent event : shell.eval(info.source())) {
                check(shell, event, number, block);
            }
            rest = info.remaining();
        }
    }

    private static void check(JShell shell, SnippetEvent event, int number, String block) {
        if (event.causeSnippet() == null && event.status() != Snippet.Status.VALID) {
            String problems = shell.diagnostics(event.snippet())
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
            fail("Block " + number + " is " + event.status() + ": " + event.snippet().source() + "\n" + problems
                    + "\n--- block:\n" + block);
        }
        if (event.exception() != null) {
            fail("Block " + number + " threw: " + event.snippet().source() + "\n--- block:\n" + block,
                    event.exception());
        }
    }
}
