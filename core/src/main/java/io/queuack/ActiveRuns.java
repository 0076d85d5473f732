package io.queuack;

import io.queuack.dag.RunOptions;
import io.queuack.error.QueuackException;
import io.queuack.job.RunStatus;
import io.queuack.storage.RunRecord;
import io.queuack.storage.RunTransition;
import io.queuack.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this session knows about the DAG runs whose tasks it runs or awaits: each run's settings (read from
 * storage once) and the futures of callers awaiting its end. Forgets a run when it finishes.
 */
final class ActiveRuns {

    /**
     * The settings a run stores with it, as JSON ({@code {"concurrency":16,"reuseResults":false}}); sub-runs
     * inherit them.
     *
     * @param concurrency  how many of the run's tasks may run at once
     * @param reuseResults whether unchanged tasks reuse earlier results
     */
    record StoredOptions(Integer concurrency, Boolean reuseResults) {

        static StoredOptions of(RunOptions options) {
            return new StoredOptions(options.concurrency(), options.reuseResults());
        }
    }

    /**
     * What the tasks of one DAG run need to know about it.
     *
     * @param gate           its concurrency limit
     * @param reuseResults   whether unchanged tasks reuse earlier results
     * @param parametersJson its parameters as JSON, or null
     * @param optionsJson    its options as JSON, or null (sub-runs inherit them)
     */
    record Settings(RunGate gate, boolean reuseResults, String parametersJson, String optionsJson) {
    }

    private final Storage storage;
    private final JsonCodec codec;
    private final Map<Long, Settings> settings = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RunStatus>> watchers = new ConcurrentHashMap<>();

    ActiveRuns(Storage storage, JsonCodec codec) {
        this.storage = storage;
        this.codec = codec;
    }

    /** @return the settings of a DAG run */
    Settings settings(long runId) {
        return settings.computeIfAbsent(runId, id -> {
            RunRecord run = storage.findRun(id).orElseThrow(() -> new QueuackException("DAG run " + id + " is not stored"));
            StoredOptions options = codec.read(run.optionsJson(), StoredOptions.class, "the options of run " + id);
            int concurrency = options == null || options.concurrency() == null ? RunOptions.DEFAULT_CONCURRENCY
                    : options.concurrency();
            boolean reuse = options != null && Boolean.TRUE.equals(options.reuseResults());
            return new Settings(new RunGate(concurrency), reuse, run.parametersJson(), run.optionsJson());
        });
    }

    /** @return a future completed with the run's final status when it finishes (at once if it has) */
    CompletableFuture<RunStatus> whenFinished(long runId) {
        CompletableFuture<RunStatus> watcher = watchers.computeIfAbsent(runId, id -> new CompletableFuture<>());
        storage.findRun(runId).map(RunRecord::status).filter(RunStatus::isFinished).ifPresent(status -> {
            watchers.remove(runId, watcher);
            watcher.complete(status);
        });
        return watcher;
    }

    /**
     * Reads the awaited runs from storage and completes the watchers of those that finished: on a store that
     * other processes share, a run can finish elsewhere while this session missed the news.
     */
    void recheck() {
        for (Long runId : List.copyOf(watchers.keySet())) {
            storage.findRun(runId).filter(run -> run.status().isFinished()).ifPresent(run ->
                    changed(List.of(new RunTransition(run.id(), run.dag(), RunStatus.RUNNING, run.status()))));
        }
    }

    /** Completes the watchers of runs that finished, and forgets them. */
    void changed(List<RunTransition> changes) {
        for (RunTransition change : changes) {
            if (change.to().isFinished()) {
                settings.remove(change.runId());
                CompletableFuture<RunStatus> watcher = watchers.remove(change.runId());
                if (watcher != null) {
                    watcher.complete(change.to());
                }
            }
        }
    }
}
