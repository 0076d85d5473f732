package io.queuack.storage;

import io.queuack.job.JobStatus;

/** The status changes a user can ask for through {@link Storage#transition}: cancel and retry. */
public final class ManualTransition {

    private ManualTransition() {
    }

    /** @throws IllegalArgumentException unless {@code expected → to} is a cancel or a retry */
    public static void check(JobStatus expected, JobStatus to) {
        boolean allowed = (to == JobStatus.CANCELLED && JobStatus.CANCELLABLE.contains(expected))
                || (to == JobStatus.PENDING && JobStatus.RETRYABLE.contains(expected));
        if (!allowed) {
            throw new IllegalArgumentException("transition supports cancel (" + JobStatus.CANCELLABLE + " to CANCELLED)"
                    + " and retry (" + JobStatus.RETRYABLE + " to PENDING), not " + expected + " to " + to);
        }
    }
}
