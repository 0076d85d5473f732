package io.queuack.dag;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one run of a DAG goes: its parameters (a DAG is a template, a run fills it in), how many of its
 * tasks may run at once, whether unchanged tasks reuse earlier results, and, for a blocking
 * {@code run}, how many worker threads and how long to wait. Immutable.
 *
 * <pre>{@code
 * RunOptions.defaults().parameter("day", "2026-11-23").concurrency(16).reuseResults(true)
 * }</pre>
 */
public final class RunOptions {

    /** Tasks of one run that may run at once (async tasks waiting on their future count too). */
    public static final int DEFAULT_CONCURRENCY = 64;

    private static final RunOptions DEFAULTS = new RunOptions(Map.of(), DEFAULT_CONCURRENCY, false, 0, null);

    private final Map<String, Object> parameters;
    private final int concurrency;
    private final boolean reuseResults;
    private final int workers;
    private final Duration timeout;

    private RunOptions(Map<String, Object> parameters, int concurrency, boolean reuseResults, int workers,
                       Duration timeout) {
        this.parameters = parameters;
        this.concurrency = concurrency;
        this.reuseResults = reuseResults;
        this.workers = workers;
        this.timeout = timeout;
    }

    /** @return no parameters, concurrency {@value #DEFAULT_CONCURRENCY}, no reuse, default workers, no timeout */
    public static RunOptions defaults() {
        return DEFAULTS;
    }

    /** @return these options with the run parameters {@code values} (JSON-serialisable), replacing earlier ones */
    public RunOptions parameters(Map<String, ?> values) {
        Objects.requireNonNull(values, "parameters");
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "parameter name"), value));
        return new RunOptions(Collections.unmodifiableMap(copy), concurrency, reuseResults, workers, timeout);
    }

    /** @return these options with one more run parameter */
    public RunOptions parameter(String name, Object value) {
        Objects.requireNonNull(name, "parameter name");
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(name, value);
        return new RunOptions(Collections.unmodifiableMap(copy), concurrency, reuseResults, workers, timeout);
    }

    /** @param tasks how many tasks of the run may run at once, 1 to 10000 */
    public RunOptions concurrency(int tasks) {
        if (tasks < 1 || tasks > 10_000) {
            throw new IllegalArgumentException("Run concurrency must be between 1 and 10000, was " + tasks);
        }
        return new RunOptions(parameters, tasks, reuseResults, workers, timeout);
    }

    /**
     * @param reuse when true, a task whose name, version, parameters and upstream results equal those of an
     *              earlier successful run of the same DAG reuses that result instead of running again
     */
    public RunOptions reuseResults(boolean reuse) {
        return new RunOptions(parameters, concurrency, reuse, workers, timeout);
    }

    /** @param threads worker threads of the pool a blocking {@code run} starts, 1 to 1024 */
    public RunOptions workers(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("Workers must be between 1 and 1024, was " + threads);
        }
        return new RunOptions(parameters, concurrency, reuseResults, threads, timeout);
    }

    /**
     * @param limit how long a blocking {@code run} waits before it returns the unfinished run; positive (a very
     *              long one means as long as it takes)
     */
    public RunOptions timeout(Duration limit) {
        Objects.requireNonNull(limit, "timeout");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("Run timeout must be positive, was " + limit);
        }
        return new RunOptions(parameters, concurrency, reuseResults, workers, limit);
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public int concurrency() {
        return concurrency;
    }

    public boolean reuseResults() {
        return reuseResults;
    }

    /** @return worker threads for a blocking run, or 0 for the default (processors, at least 2) */
    public int workers() {
        return workers;
    }

    /** @return how long a blocking run waits, or null for as long as it takes */
    public Duration timeout() {
        return timeout;
    }
}
