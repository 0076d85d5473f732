package io.queuack.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns what a JShell-based kernel throws when a snippet fails into a {@link SnippetException}. JJava and IJava
 * raise their own exception classes (not on the extension's class path), so they are recognised by shape: a
 * rejected snippet carries {@code getBadSnippetCompilation()} (the {@link SnippetEvent}), an incomplete one
 * {@code getSource()}; code that threw arrives as a JShell {@link EvalException} among the causes. The compiler's
 * messages come from the kernel's {@link JShell}: JJava's {@code getJShell()}, or IJava's {@code evaluator.getShell()}.
 */
public final class KernelFailures {

    private KernelFailures() {
    }

    /** @return the kernel's JShell, if it can be reached */
    public static Optional<JShell> shellOf(Object kernel) {
        Object shell = invoke(kernel, "getJShell");
        if (shell == null) {
            shell = invoke(field(kernel, "evaluator"), "getShell");
        }
        return shell instanceof JShell jshell ? Optional.of(jshell) : Optional.empty();
    }

    /** @return {@code thrown} as a {@link SnippetException} if it is a kernel's snippet failure, else {@code thrown} */
    public static RuntimeException translate(RuntimeException thrown, Optional<JShell> shell) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SnippetException known) {
                return known;
            }
            if (invoke(cause, "getBadSnippetCompilation") instanceof SnippetEvent event) {
                return rejected(event.snippet(), shell);
            }
            if (cause instanceof UnresolvedReferenceException unresolved) {
                return rejected(unresolved.getSnippet(), shell);
            }
            if (cause instanceof EvalException eval) {
                return new SnippetException(SnippetException.Kind.THREW, null,
                        List.of(new SnippetException.Problem(eval.getExceptionClassName() + ": " + eval.getMessage(), -1, -1)));
            }
            String type = cause.getClass().getSimpleName();
            if (type.equals("IncompleteSourceException")) {
                return new SnippetException(SnippetException.Kind.INCOMPLETE, (String) invoke(cause, "getSource"), List.of());
            }
            if (type.equals("EvaluationInterruptedException")) {
                return new SnippetException(SnippetException.Kind.INTERRUPTED, null, List.of());
            }
        }
        return thrown;
    }

    private static SnippetException rejected(Snippet snippet, Optional<JShell> shell) {
        List<SnippetException.Problem> problems = new ArrayList<>();
        shell.ifPresent(jshell -> {
            jshell.diagnostics(snippet).forEach(diagnostic -> problems.add(new SnippetException.Problem(
                    withoutLocation(diagnostic.getMessage(Locale.ROOT)), diagnostic.getStartPosition(),
                    diagnostic.getEndPosition())));
            if (snippet instanceof DeclarationSnippet declaration) {
                List<String> missing = jshell.unresolvedDependencies(declaration).toList();
                if (!missing.isEmpty()) {
                    problems.add(new SnippetException.Problem("uses what is not defined (yet): " + String.join(", ", missing)
                            + " -- an import missing, or a cell not run?", -1, -1));
                }
            }
        });
        return new SnippetException(SnippetException.Kind.REJECTED, snippet.source(), problems);
    }

    /** JShell's diagnostics end with "location: class ..." lines that name its generated wrappers: left out. */
    private static String withoutLocation(String message) {
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            if (!line.strip().startsWith("location:")) {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }

    private static Object invoke(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method found = target.getClass().getMethod(method);
            return found.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object field(Object target, String name) {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
