package io.queuack.error;

/**
 * A task returned a result whose JSON is larger than the configured limit. Results are meant for
 * small values; large data belongs in files. The job fails without retry.
 */
public class ResultTooLargeException extends NonRetryableException {

    public ResultTooLargeException(String task, long bytes, long limit) {
        super("The result of task '" + task + "' is " + bytes + " bytes as JSON, over the limit of " + limit
                + " bytes. Store large data in a file instead and return its path or handle: the streaming module"
                + " (queuack-arrow) writes rows as Arrow IPC and returns a small dataset handle. The limit is set with"
                + " Queuack.builder().maxResultBytes(...).");
    }
}
