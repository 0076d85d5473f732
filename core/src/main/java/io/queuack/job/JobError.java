package io.queuack.job;

import io.queuack.text.Text;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * The error of a job's last failed attempt: exception type, message and stack trace, as stored.
 *
 * @param type       the exception's class name, e.g. {@code java.io.IOException}
 * @param message    the exception's message (may be empty, never null)
 * @param stackTrace the full stack trace text, causes included (may be empty, never null)
 */
public record JobError(String type, String message, String stackTrace) {

    /** Stack traces are cut to this many characters before they are stored. */
    public static final int MAX_STACK_TRACE_CHARS = 16_384;

    public JobError {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : Text.wellFormed(message);
        stackTrace = stackTrace == null ? "" : Text.wellFormed(stackTrace);
    }

    /**
     * @return the error of {@code failure}, with its stack trace cut to {@link #MAX_STACK_TRACE_CHARS}. An
     *         exception whose {@code getMessage()} or {@code toString()} throws still gives an error: what could
     *         not be read is replaced by a note that says so.
     */
    public static JobError of(Throwable failure) {
        String type = failure.getClass().getName();
        String message;
        try {
            message = failure.getMessage();
        } catch (Throwable broken) {
            message = "(its getMessage() threw " + broken.getClass().getName() + ")";
        }
        String text;
        try {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            text = trace.toString();
        } catch (Throwable broken) {
            text = framesOnly(failure, type, broken);
        }
        if (text.length() > MAX_STACK_TRACE_CHARS) {
            text = text.substring(0, MAX_STACK_TRACE_CHARS) + "\n\t... (stack trace cut)";
        }
        return new JobError(type, message, text);
    }

    /** The stack frames of a throwable whose text cannot be printed (its toString() throws). */
    private static String framesOnly(Throwable failure, String type, Throwable broken) {
        StringBuilder text = new StringBuilder(type).append(" (printing it threw ")
                .append(broken.getClass().getName()).append(")\n");
        for (StackTraceElement frame : failure.getStackTrace()) {
            text.append("\tat ").append(frame).append('\n');
        }
        return text.toString();
    }

    /** @return an error raised by Queuack itself (no stack trace), e.g. a timeout or a lost worker */
    public static JobError of(String type, String message) {
        return new JobError(type, message, "");
    }

    /** @return {@code "Type: message"}, one line */
    public String summary() {
        return message.isEmpty() ? type : type + ": " + message;
    }
}
