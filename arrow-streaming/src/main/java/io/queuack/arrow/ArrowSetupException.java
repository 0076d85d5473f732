package io.queuack.arrow;

import io.queuack.error.QueuackException;

/**
 * The JVM cannot run Apache Arrow as started: a flag is missing from its command line. The message names
 * the flag and where to put it (Maven, a plain {@code java} command, a Jupyter kernel).
 */
public final class ArrowSetupException extends QueuackException {

    ArrowSetupException(String message) {
        super(message);
    }
}
