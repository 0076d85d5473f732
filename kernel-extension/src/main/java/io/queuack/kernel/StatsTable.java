package io.queuack.kernel;

import io.queuack.job.QueueStats;
import java.util.List;
import java.util.Objects;

/**
 * Per-queue counts to show as one table in a notebook (what {@code %queue stats} returns).
 *
 * @param source the queue's store, e.g. "DuckDB file jobs.duckdb"
 * @param queues one entry per named queue
 */
public record StatsTable(String source, List<QueueStats> queues) {

    public StatsTable {
        Objects.requireNonNull(source, "source");
        queues = List.copyOf(queues);
    }
}
