package io.queuack.kernel;

import java.util.List;

/**
 * Java that a magic handed to the kernel (the code a {@code %%dag} cell becomes, a {@code --use} expression, a
 * variable name) was refused by the compiler, was incomplete, or threw when it ran. It carries what the kernel
 * reported, so that the magic can say which line of its cell is at fault; its message alone is already short and
 * has no stack trace.
 */
public final class SnippetException extends MagicException {

    /** What went wrong. */
    public enum Kind {
        /** The compiler refused the snippet (see {@link #problems()}). */
        REJECTED,
        /** The snippet is not complete Java (an unclosed bracket or string). */
        INCOMPLETE,
        /** The snippet compiled but threw when it ran. */
        THREW,
        /** The evaluation was interrupted (the notebook's stop button). */
        INTERRUPTED
    }

    /**
     * One compiler diagnostic, or what a snippet threw.
     *
     * @param message the diagnostic ({@code location:} lines left out), or {@code Class: message} of what was thrown
     * @param start   its first character in {@link #source()}, or -1 when unknown
     * @param end     the character after its last one, or -1
     */
    public record Problem(String message, long start, long end) {
    }

    private final Kind kind;
    private final String source;
    private final List<Problem> problems;

    SnippetException(Kind kind, String source, List<Problem> problems) {
        super(summary(kind, source, problems));
        this.kind = kind;
        this.source = source == null ? "" : source;
        this.problems = List.copyOf(problems);
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the snippet as the kernel saw it */
    public String source() {
        return source;
    }

    /** @return the compiler's diagnostics, or the exception thrown; empty when the kernel said nothing more */
    public List<Problem> problems() {
        return problems;
    }

    /** @return the problems' messages, one per line */
    public String messages() {
        return String.join("\n", problems.stream().map(Problem::message).toList());
    }

    private static String summary(Kind kind, String source, List<Problem> problems) {
        String what = switch (kind) {
            case REJECTED -> "Java the compiler refused";
            case INCOMPLETE -> "incomplete Java (an unclosed bracket, brace or string?)";
            case THREW -> "Java that threw";
            case INTERRUPTED -> "Java that was interrupted";
        };
        String detail = String.join("\n", problems.stream().map(Problem::message).toList());
        String code = source == null ? "" : source.strip();
        return what + (code.isEmpty() || code.length() > 200 ? "" : ": " + code) + (detail.isEmpty() ? "" : "\n" + detail);
    }
}
