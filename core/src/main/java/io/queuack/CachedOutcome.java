package io.queuack;

/**
 * What a DAG task's invoker returns when results may be reused: either a result found under the cache
 * key ({@code json} set, the task did not run) or a fresh value to store under the key.
 *
 * @param key   the task's cache key (task, version, parameters, upstream results)
 * @param json  a reused result's JSON, or null
 * @param value a fresh result (may be null, or a {@code CompletionStage})
 */
record CachedOutcome(String key, String json, Object value) {

    boolean reused() {
        return json != null;
    }
}
