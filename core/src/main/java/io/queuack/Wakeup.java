package io.queuack;

import java.time.Instant;

/**
 * Told when work may have become due, so that it looks at once instead of at its next poll. Worker pools'
 * dispatchers register one with the engine; calls come from any thread and must return quickly.
 */
interface Wakeup {

    /** Jobs became due on {@code queue} (null: on any queue) at {@code runAt}. */
    void jobsAdded(String queue, Instant runAt);

    /** The set of paused queues changed. */
    void pausedChanged();

    /** Running jobs ended somewhere in this process (or were seen to end elsewhere): a full limit may have room. */
    void placesFreed();
}
