package io.queuack.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A DAG run to store: the run and all its tasks and dependencies, in one transaction, so that no task
 * can be claimed before its dependency rows exist. Tasks without upstream tasks start PENDING, the
 * others BLOCKED. The plan must be acyclic (the DAG module validates it).
 *
 * @param dag            the DAG's name
 * @param parametersJson the run's parameters as JSON, or null
 * @param optionsJson    the run's options as JSON (concurrency limit, result reuse), or null
 * @param parentJobId    for a sub-run (sub-DAG, fan-out), the job that spawned it; else null
 * @param idempotencyKey a key that makes a second insert return the stored run (used for sub-runs), or null
 * @param createdAt      submission time
 * @param tasks          the tasks, in a topological order is not required
 */
public record RunPlan(String dag, String parametersJson, String optionsJson, Long parentJobId, String idempotencyKey,
                      Instant createdAt, List<PlannedTask> tasks) {

    public RunPlan {
        Objects.requireNonNull(dag, "dag");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(tasks, "tasks");
    }
}
