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
        Brackets brackets = new Brackets();
        String[] lines = body.split("\\R", -1);
        for (int line = 0; line < lines.length; line++) {
            Optional<Error> wrong = brackets.scan(line, lines[line]);
            if (wrong.isPresent()) {
                return wrong;
            }
        }
        return brackets.unclosed();
    }

    /** Follows brackets line by line, past strings, characters, text blocks and comments. */
    private static final class Brackets {
        private static final String OPENING = "({[";
        private static final String CLOSING = ")}]";

        private final java.util.Deque<Error> open = new java.util.ArrayDeque<>();
        private boolean inComment;
        private boolean inTextBlock;

        Optional<Error> scan(int line, String text) {
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inComment || inTextBlock) {
                    String end = inComment ? "*/" : "\"\"\"";
                    if (text.startsWith(end, i)) {
                        inComment = inTextBlock = false;
                        i += end.length() - 1;
                    }
                } else if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (text.startsWith("\"\"\"", i)) {
                    inTextBlock = true;
                    i += 2;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (text.startsWith("//", i)) {
                    return Optional.empty();
                } else if (text.startsWith("/*", i)) {
                    inComment = true;
                    i++;
                } else if (OPENING.indexOf(c) >= 0) {
                    open.push(new Error(line, i + 1, String.valueOf(c)));
                } else if (CLOSING.indexOf(c) >= 0) {
                    if (open.isEmpty() || CLOSING.charAt(OPENING.indexOf(open.peek().message())) != c) {
                        return Optional.of(new Error(line, i + 1, "'" + c + "' closes nothing" + (open.isEmpty() ? ""
                                : ": the '" + open.peek().message() + "' before it is still open")));
                    }
                    open.pop();
                }
            }
            return Optional.empty();
        }

        Optional<Error> unclosed() {
            return open.isEmpty() ? Optional.empty() : Optional.of(new Error(open.getLast().line(),
                    open.getLast().column(), "this '" + open.getLast().message() + "' is never closed"));
        }
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
