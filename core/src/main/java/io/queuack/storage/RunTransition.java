package io.queuack.storage;

import io.queuack.job.RunStatus;

/**
 * A DAG run changed status.
 *
 * @param runId the run
 * @param dag   its DAG's name
 * @param from  status before
 * @param to    status after
 */
public record RunTransition(long runId, String dag, RunStatus from, RunStatus to) {
}
