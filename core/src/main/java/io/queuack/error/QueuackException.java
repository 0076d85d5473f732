package io.queuack.error;

/**
 * Root of every exception Queuack throws on purpose. Messages say what went wrong and what to do;
 * subclasses carry the structured details. Invalid arguments are reported with the JDK's
 * {@link IllegalArgumentException} instead.
 */
public class QueuackException extends RuntimeException {

    public QueuackException(String message) {
        super(message);
    }

    public QueuackException(String message, Throwable cause) {
        super(message, cause);
    }
}
