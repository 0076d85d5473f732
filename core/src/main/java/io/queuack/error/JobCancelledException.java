package io.queuack.error;

import io.queuack.job.JobContext;

/** Thrown by {@link JobContext#throwIfCancelled()} when the running job was cancelled or timed out. */
public class JobCancelledException extends QueuackException {

    public JobCancelledException(long jobId, String reason) {
        super("Job " + jobId + " was stopped: " + reason);
    }
}
