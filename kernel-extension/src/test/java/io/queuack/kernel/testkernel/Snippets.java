package io.queuack.kernel.testkernel;

import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * Evaluates a cell in a local JShell the way a Java kernel does: snippet by snippet, failing on the first one that
 * does not compile or throws, and returning the last expression's actual object (handed over through
 * {@link ResultSlot}, since cells run in this JVM).
 */
public final class Snippets {

    private Snippets() {
    }

    /** @return the value of the cell's last expression, or null */
    public static Object eval(JShell shell, String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                throw new IllegalArgumentException("Incomplete input: " + rest.strip());
            }
            last = evalSnippet(shell, info.source());
            rest = info.remaining();
        }
        return last;
    }

    private static Object evalSnippet(JShell shell, String source) {
        Object value = null;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            if (event.status() == Snippet.Status.REJECTED) {
                throw new IllegalArgumentException(shell.diagnostics(event.snippet())
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")) + "\nin: " + source.strip());
            }
            if (event.exception() != null) {
                throw event.exception() instanceof EvalException eval
                        ? new RuntimeException(eval.getExceptionClassName() + ": " + eval.getMessage(), eval)
                        : new RuntimeException(event.exception());
            }
            String valueName = event.snippet() instanceof ExpressionSnippet expression ? expression.name()
                    : event.snippet() instanceof VarSnippet variable
                    && event.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND ? variable.name() : null;
            if (valueName != null) {
                value = valueOf(shell, valueName);
            }
        }
        return value;
    }

    /** @return the object an expression of the session evaluates to */
    static Object valueOf(JShell shell, String expression) {
        for (SnippetEvent hold : shell.eval(ResultSlot.class.getName() + ".hold(" + expression + ");")) {
            if (hold.status() == Snippet.Status.REJECTED || hold.exception() != null) {
                throw new IllegalStateException("Cannot hand over the value of " + expression + ": "
                        + shell.diagnostics(hold.snippet()).map(d -> d.getMessage(null)).toList(), hold.exception());
            }
        }
        return ResultSlot.take();
    }
}
