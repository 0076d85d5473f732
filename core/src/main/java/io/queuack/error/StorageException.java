package io.queuack.error;

/** The storage backend failed (I/O, database error). The message names the operation and the store. */
public class StorageException extends QueuackException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
