package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.JobStatus;
import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void terminalStatusesOnlyLeaveThroughRetry() {
        for (JobStatus from : JobStatus.TERMINAL) {
            for (JobStatus to : JobStatus.values()) {
                boolean retry = JobStatus.RETRYABLE.contains(from) && (to == JobStatus.PENDING || to == JobStatus.BLOCKED);
                boolean upstreamRetried = from == JobStatus.SKIPPED && to == JobStatus.BLOCKED;
                assertEquals(retry || upstreamRetried, from.canMoveTo(to), from + " -> " + to);
            }
        }
        assertFalse(JobStatus.SUCCEEDED.canMoveTo(JobStatus.PENDING), "success is final");
        assertFalse(JobStatus.ORPHANED.canMoveTo(JobStatus.PENDING), "an orphan's code is gone");
    }

    @Test
    void waitingJobsCanStartBeCancelledOrExpireButNotFinishWithoutRunning() {
        for (JobStatus waiting : JobStatus.WAITING) {
            assertTrue(waiting.canMoveTo(JobStatus.RUNNING));
            assertTrue(waiting.canMoveTo(JobStatus.CANCELLED));
            assertTrue(waiting.canMoveTo(JobStatus.EXPIRED));
            assertFalse(waiting.canMoveTo(JobStatus.SUCCEEDED));
            assertFalse(waiting.canMoveTo(JobStatus.DEAD));
        }
        assertFalse(JobStatus.RUNNING.canMoveTo(JobStatus.EXPIRED), "a started job does not expire");
    }

    @Test
    void databaseNamesRoundTrip() {
        for (JobStatus status : JobStatus.values()) {
            assertEquals(status, JobStatus.fromDbName(status.dbName()));
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> JobStatus.fromDbName("done"));
        assertTrue(unknown.getMessage().contains("Unknown job status 'done'"));
    }
}
