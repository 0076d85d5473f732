package io.queuack.kernel.testkernel;

import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A JShell that evaluates cells as JJava's {@code CodeEvaluator} does: snippet by snippet, the last expression's
 * actual object as the result (handed over by {@link CellExecution}), an incomplete rest raised as
 * {@link IncompleteSourceException}, a refused snippet as {@link CompilationException}, what a snippet threw as a
 * {@link RuntimeException} of {@code "<class>, <message>"} caused by JShell's {@link EvalException}, an interrupt as
 * {@link EvaluationInterruptedException}. Like JJava it cannot redefine a loaded class in place, so JShell replaces
 * redefined wrappers and variables that depend on them start again from their default value.
 */
public final class CellShell implements AutoCloseable {

    private final CellLoader loader = new CellLoader();
    private final CellExecution execution = new CellExecution(loader);
    private final JShell shell = JShell.builder().out(System.out).err(System.err).in(System.in)
            .executionEngine(execution.provider(), java.util.Map.of()).build();

    /** @return the JShell, for a kernel's {@code getJShell()} */
    public JShell jshell() {
        return shell;
    }

    /** @return the loader cells run in */
    public ClassLoader loader() {
        return loader.loader();
    }

    /** Adds entries (separated by the path separator) to the class path of cells and of their compiler. */
    public void addToClasspath(String classpath) {
        shell.addToClasspath(classpath);
    }

    /** Cancels the running cell. */
    public void interrupt() {
        execution.interrupt();
    }

    /** @return the value of the cell's last expression, or null */
    public Object eval(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            last = evalSnippet(info.source());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new IncompleteSourceException(info.remaining().strip());
        }
        return last;
    }

    private Object evalSnippet(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent event : events) {
            if (event.status() == Snippet.Status.OVERWRITTEN) {
                shell.drop(event.snippet());
                continue;
            }
            if (event.value() == null) {
                continue;
            }
            Snippet.SubKind kind = event.snippet().subKind();
            Object result = kind.isExecutable() ? execution.take(event.value()) : event.value();
            value = switch (kind) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> result;
                default -> null;
            };
        }
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            JShellException thrown = event.exception();
            if (thrown instanceof EvalException eval) {
                if (CellExecution.INTERRUPTED.equals(eval.getExceptionClassName())) {
                    throw new EvaluationInterruptedException(source.strip());
                }
                throw new RuntimeException(eval.getExceptionClassName() + ", " + eval.getMessage(), eval);
            }
            if (thrown != null) {
                throw new RuntimeException(thrown);
            }
            if (event.status() != Snippet.Status.RECOVERABLE_NOT_DEFINED && !event.status().isDefined()) {
                throw new CompilationException(event);
            }
        }
        return value;
    }

    @Override
    public void close() {
        shell.close();
    }
}
