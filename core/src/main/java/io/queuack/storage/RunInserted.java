package io.queuack.storage;

/**
 * What {@link Storage#insertRun} stored.
 *
 * @param runId    the run's id
 * @param jobIds   one job id per planned task, in plan order
 * @param existing true if the idempotency key named a stored run, which was returned instead
 */
public record RunInserted(long runId, long[] jobIds, boolean existing) {
}
