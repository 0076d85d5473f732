package io.queuack.kernel;

import io.queuack.job.WorkerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The worker pools that use a queue's store, to show as one table (what {@code %queue workers} returns).
 *
 * @param source the queue's store
 * @param pools  the pools, oldest first
 * @param at     when the list was read (states and heartbeat ages are as of then)
 */
public record WorkerTable(String source, List<WorkerInfo> pools, Instant at) {

    public WorkerTable {
        Objects.requireNonNull(source, "source");
        pools = List.copyOf(pools);
        Objects.requireNonNull(at, "at");
    }
}
