package io.queuack.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A worker pool that uses a store, as its heartbeats report it: on a PostgreSQL store, every pool of every
 * process on every host; on a DuckDB or memory store, this process's pools.
 *
 * @param id          the pool's id, also the owner stored with the jobs it claims ({@code host:pid:pool-n:random})
 * @param host        the host it runs on
 * @param pid         its process id
 * @param queues      the queues it claims from, with their weights ({@code default×1, images×3})
 * @param concurrency its worker threads
 * @param startedAt   when it started
 * @param heartbeatAt its latest heartbeat (once a second while it runs)
 * @param stoppedAt   when it stopped cleanly, or null
 * @param heldJobs    the jobs it held at its latest heartbeat (running, or claimed and about to run)
 */
public record WorkerInfo(String id, String host, long pid, String queues, int concurrency, Instant startedAt,
                         Instant heartbeatAt, Instant stoppedAt, int heldJobs) {

    /** A pool whose heartbeat is older than this is shown as {@link State#SILENT}: likely dead or cut off. */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(10);

    /** What a pool's heartbeats say about it. */
    public enum State {
        /** Heartbeats arrive. */
        ACTIVE,
        /** It stopped cleanly. */
        STOPPED,
        /** No heartbeat for {@link #SILENT_AFTER}: its process died or lost the store; its leases run out. */
        SILENT
    }

    public WorkerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    }

    /** @return its state at {@code now} */
    public State state(Instant now) {
        if (stoppedAt != null) {
            return State.STOPPED;
        }
        return heartbeatAt.plus(SILENT_AFTER).isBefore(now) ? State.SILENT : State.ACTIVE;
    }
}
