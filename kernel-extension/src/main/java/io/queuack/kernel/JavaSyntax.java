package io.queuack.kernel;

import com.sun.source.util.JavacTask;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Finds syntax errors in a task body with the JDK's own parser (no types are resolved), for the cases where the
 * kernel only says that the code is incomplete: an unclosed brace, a missing operand, a stray character.
 */
final class JavaSyntax {

    /**
     * A syntax error.
     *
     * @param line    the body line it is on (0 for the first)
     * @param column  its column on that line (1 for the first character)
     * @param message the parser's message
     */
    record Error(int line, int column, String message) {
    }

    private static final String BEFORE = "class QueuackSyntaxCheck { Object body() { return (java.util.function.Function<Object, Object>) ctx ->\n";
    private static final String AFTER = "\n; } }";

    private JavaSyntax() {
    }

    /**
     * @return the first syntax error of a lambda body: an unbalanced bracket, or else what the JDK's parser finds
     *         (empty also when no Java compiler is available)
     */
    static Optional<Error> firstError(String body) {
        Optional<Error> unbalanced = unbalanced(body);
        return unbalanced.isPresent() ? unbalanced : parse(body);
    }

    /** @return a closing bracket that closes nothing (or the wrong one), or an opening one never closed */
    static Optional<Error> unbalanced(String body) {
        java.util.Deque<Error> open = new java.util.ArrayDeque<>();
        String[] lines = body.split("\\R", -1);
        boolean blockComment = false;
        for (int line = 0; line < lines.length; line++) {
            String text = lines[line];
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (blockComment) {
                    if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                        blockComment = false;
                        i++;
                    }
                } else if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                    break;
                } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    blockComment = true;
                    i++;
                } else if ("({[".indexOf(c) >= 0) {
                    open.push(new Error(line, i + 1, String.valueOf(c)));
                } else if (")}]".indexOf(c) >= 0) {
                    String expected = open.isEmpty() ? null : String.valueOf(")}]".charAt("({[".indexOf(open.peek().message())));
                    if (!String.valueOf(c).equals(expected)) {
                        return Optional.of(new Error(line, i + 1, "'" + c + "' closes nothing" + (expected == null ? ""
                                : ": the '" + open.peek().message() + "' of line " + (open.peek().line() + 1)
                                + " wants '" + expected + "'")));
                    }
                    open.pop();
                }
            }
        }
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Error first = open.getLast();
        return Optional.of(new Error(first.line(), first.column(), "this '" + first.message() + "' is never closed"));
    }

    private static Optional<Error> parse(String body) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            return Optional.empty();
        }
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///QueuackSyntaxCheck.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return BEFORE + body + AFTER;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) compiler.getTask(null, null, diagnostics, List.of("-proc:none"), null, List.of(source));
        try {
            task.parse();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        int lines = (int) body.lines().count();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).findFirst()
                .map(d -> {
                    int line = (int) d.getLineNumber() - 2;
                    if (line < 0 || line >= lines) {
                        String last = body.lines().reduce((first, next) -> next).orElse("");
                        return new Error(Math.max(0, lines - 1), last.stripTrailing().length() + 1, d.getMessage(Locale.ROOT));
                    }
                    return new Error(line, (int) d.getColumnNumber(), d.getMessage(Locale.ROOT));
                });
    }
}
