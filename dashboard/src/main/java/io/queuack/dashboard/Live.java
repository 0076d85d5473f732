package io.queuack.dashboard;

import io.queuack.event.EnqueuedEvent;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.ProgressEvent;
import io.queuack.event.RunEvent;

/**
 * Counts changes to the store that pages show (this process's and, on PostgreSQL, other processes'), so that
 * server-sent event streams can tell browsers to refresh. Streams wait on this object.
 */
final class Live implements JobListener {

    private long version;

    @Override
    public void onEnqueued(EnqueuedEvent event) {
        changed();
    }

    @Override
    public void onStatusChanged(JobEvent event) {
        changed();
    }

    @Override
    public void onProgress(ProgressEvent event) {
        changed();
    }

    @Override
    public void onRunStatusChanged(RunEvent event) {
        changed();
    }

    /** Something pages show changed. */
    synchronized void changed() {
        version++;
        notifyAll();
    }

    /** @return the version after {@code seen} changed, or {@code seen} when {@code millis} passed first */
    synchronized long awaitChange(long seen, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (version == seen) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return seen;
            }
            wait(left);
        }
        return version;
    }

    synchronized long version() {
        return version;
    }
}
