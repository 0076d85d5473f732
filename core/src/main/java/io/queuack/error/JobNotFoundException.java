package io.queuack.error;

/** No job with the given id is stored (it never existed, or it was purged). */
public class JobNotFoundException extends QueuackException {

    private final long jobId;

    public JobNotFoundException(long jobId) {
        super("No job with id " + jobId + " is stored; it never existed or it was purged.");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
