package io.queuack.error;

/**
 * Thrown by a task (or by Queuack on its behalf) to fail the job at once: it becomes DEAD without
 * using its remaining attempts. Use it for failures that another attempt cannot fix, such as
 * invalid input.
 */
public class NonRetryableException extends QueuackException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
