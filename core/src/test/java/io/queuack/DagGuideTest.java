package io.queuack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code java} block of {@code docs/dags.md}, in order, in one JShell session, as a notebook
 * user would paste them: the guide's examples stay runnable. A snippet that does not compile, refers to
 * something undefined or throws fails the test with the block it came from. Files the guide opens ({@code Path.of("...")}) go to a
 * temporary folder.
 */
class DagGuideTest {

    private static final Path GUIDE = Path.of("..", "docs", "dags.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void everyExampleOfTheGuideRuns() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(GUIDE));
        assertFalse(blocks.isEmpty(), "no java blocks in " + GUIDE);
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            for (int i = 0; i < blocks.size(); i++) {
                String block = blocks.get(i).replace("Path.of(\"", "Path.of(\"" + dir.toString().replace('\\', '/')
                        + "/");
                run(shell, block, i + 1);
            }
            run(shell, "Queuack.closeAll();", blocks.size() + 1);
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
