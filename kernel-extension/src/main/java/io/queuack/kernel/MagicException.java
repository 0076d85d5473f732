package io.queuack.kernel;

import io.queuack.error.QueuackException;

/**
 * A magic's input was wrong (a syntax error, an unknown option or task). The message is the whole story —
 * where, what, and what to do — so it carries no stack trace: a notebook shows it as a short error.
 */
public class MagicException extends QueuackException {

    public MagicException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
