package io.queuack.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.queuack.Queuack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Micrometer meters of one open queue: how many jobs each queue holds per status, how fast jobs are enqueued,
 * started and finished, how long they wait and run (histograms, from which percentiles are computed; optionally
 * percentiles computed here too), retries, dead letters and
 * lease recoveries, DAG runs started and finished, how busy this process's worker pools are and how long its
 * storage round trips take. Nothing is measured until it is bound to a registry; meters are removed again by
 * {@link #close()}.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * QueuackMetrics metrics = QueuackMetrics.of(queue);
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Rates, times and round trips count this process's own work (so a sum over processes is the whole
 * cluster's); the job counts per status are read from the store, which on PostgreSQL all processes share (take
 * their maximum, not their sum). See {@code docs/dashboard.md} for every meter's name and tags.
 */
public final class QueuackMetrics implements MeterBinder, AutoCloseable {

    /** How often job counts are read from the store unless {@link #refreshEvery} says otherwise. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
    /** The shortest refresh interval. */
    public static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    /** The longest refresh interval. */
    public static final Duration MAX_REFRESH = Duration.ofHours(1);
    /** Distinct task and DAG names tagged before the rest count as {@value TagBudget#OTHER}, unless changed. */
    public static final int DEFAULT_MAX_NAMES = 100;
    /** The largest {@link #maxNames}. */
    public static final int MAX_NAMES = 10_000;

    private final Queuack queue;
    private final List<Binding> bindings = new ArrayList<>();
    private Duration refresh = DEFAULT_REFRESH;
    private int maxNames = DEFAULT_MAX_NAMES;
    private boolean storeCounts = true;
    private boolean clientPercentiles;
    private boolean closed;

    private QueuackMetrics(Queuack queue) {
        this.queue = queue;
    }

    /** @return the meters of {@code queue}, not yet bound to a registry */
    public static QueuackMetrics of(Queuack queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue.isClosed()) {
            throw new IllegalArgumentException("The queue " + queue.description() + " is closed; open it before binding"
                    + " its metrics");
        }
        return new QueuackMetrics(queue);
    }

    /**
     * @param interval how often the job counts per queue and status are read from the store, 1 s to 1 h
     *                 (default 10 s)
     * @return this
     */
    public synchronized QueuackMetrics refreshEvery(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_REFRESH) < 0 || interval.compareTo(MAX_REFRESH) > 0) {
            throw new IllegalArgumentException("The refresh interval must be between 1 s and 1 h, was " + interval);
        }
        checkNotBound();
        this.refresh = interval;
        return this;
    }

    /**
     * @param names how many distinct task names (and DAG names) are tagged, 1 to {@value #MAX_NAMES} (default
     *              {@value #DEFAULT_MAX_NAMES}); later ones are tagged {@code other}, so that generated names cannot
     *              grow the registry without end
     * @return this
     */
    public synchronized QueuackMetrics maxNames(int names) {
        if (names < 1 || names > MAX_NAMES) {
            throw new IllegalArgumentException("maxNames must be between 1 and " + MAX_NAMES + ", was " + names);
        }
        checkNotBound();
        this.maxNames = names;
        return this;
    }

    /**
     * @param on whether to read the job counts per queue and status from the store (default true); a process
     *           that only runs workers on a big shared store may leave that to one other process
     * @return this
     */
    public synchronized QueuackMetrics storeCounts(boolean on) {
        checkNotBound();
        this.storeCounts = on;
        return this;
    }

    /**
     * @param on whether the wait and run timers also compute their 50th, 95th and 99th percentiles in this process
     *           (default false). Their histograms are always published, from which Prometheus computes any
     *           percentile ({@code histogram_quantile}); registries that cannot (JMX, for one) need this. It makes
     *           recording a time about three times as costly (measured: 175 ns instead of 68 ns).
     * @return this
     */
    public synchronized QueuackMetrics clientPercentiles(boolean on) {
        checkNotBound();
        this.clientPercentiles = on;
        return this;
    }

    /** Registers the meters in {@code registry} and starts measuring. A second registry gets its own meters. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("These metrics were closed; bind a new QueuackMetrics.of(queue)");
        }
        if (queue.isClosed()) {
            throw new IllegalStateException("The queue " + queue.description() + " is closed");
        }
        bindings.add(new Binding(queue, registry, refresh, maxNames, storeCounts, clientPercentiles));
    }

    /**
     * Reads the job counts per queue and status from the store now, instead of waiting for the next refresh
     * (before a scrape that must be current, or in a test).
     */
    public synchronized void refresh() {
        for (Binding binding : bindings) {
            binding.refresh();
        }
    }

    /** Stops measuring and removes the meters from every registry they were bound to. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        bindings.forEach(Binding::close);
        bindings.clear();
    }

    private void checkNotBound() {
        if (!bindings.isEmpty() || closed) {
            throw new IllegalStateException("Set the options of QueuackMetrics before binding it to a registry");
        }
    }
}
