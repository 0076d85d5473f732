package io.queuack.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.RunEvent;
import io.queuack.event.Subscription;
import io.queuack.job.JobStatus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a queue's event thread has delivered a number of events. Subscribed after the metrics, it hears
 * each event after them (one thread delivers to listeners in order), so once it has heard them all the meters
 * have counted them.
 */
final class Events {

    private final CountDownLatch latch;
    private final Subscription subscription;

    private Events(Queuack queue, int expected, boolean runs) {
        latch = new CountDownLatch(expected);
        subscription = queue.listen(new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                if (!runs && (event.to().isTerminal() || event.to() == JobStatus.FAILED)) {
                    latch.countDown();
                }
            }

            @Override
            public void onRunStatusChanged(RunEvent event) {
                if (runs && event.to().isFinished()) {
                    latch.countDown();
                }
            }
        });
    }

    /** Counts jobs reaching a final status or FAILED. */
    static Events counting(Queuack queue, int outcomes) {
        return new Events(queue, outcomes, false);
    }

    /** Counts DAG runs finishing. */
    static Events runsFinishing(Queuack queue, int runs) {
        return new Events(queue, runs, true);
    }

    void await() {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "events still missing: " + latch.getCount());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            subscription.close();
        }
    }
}
