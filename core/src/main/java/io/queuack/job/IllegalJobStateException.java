package io.queuack.job;

import io.queuack.error.QueuackException;

/** An operation does not apply to a job in its current status, e.g. retrying a job that succeeded. */
public class IllegalJobStateException extends QueuackException {

    private final long jobId;
    private final JobStatus status;

    public IllegalJobStateException(long jobId, JobStatus status, String message) {
        super("Job " + jobId + " is " + status + ": " + message);
        this.jobId = jobId;
        this.status = status;
    }

    public long jobId() {
        return jobId;
    }

    public JobStatus status() {
        return status;
    }
}
