package io.queuack.arrow;

import io.queuack.error.QueuackException;

/**
 * A dataset could not be written or read: a row that does not fit the schema, a file that is cut off or
 * is not Arrow, an I/O failure. The message names the file, and the row and column where there is one.
 */
public class DatasetException extends QueuackException {

    DatasetException(String message) {
        super(message);
    }

    DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
