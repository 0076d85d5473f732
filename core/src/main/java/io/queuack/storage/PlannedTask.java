package io.queuack.storage;

import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import java.time.Duration;
import java.util.Objects;

/**
 * One task of a {@link RunPlan}.
 *
 * @param node          the task's name within the DAG (unique in the run)
 * @param task          the registered task name the job runs
 * @param argumentsJson the job's argument as JSON, or null
 * @param queue         queue name
 * @param priority      0-100
 * @param maxAttempts   at least 1
 * @param backoff       wait between attempts
 * @param timeout       per-attempt limit, or null
 * @param mode          how its upstream tasks gate it
 * @param parents       indexes (in the plan's task list) of its upstream tasks; none: it is PENDING at once
 * @param limitKey      the key that key limits count the job under, or null
 */
public record PlannedTask(String node, String task, String argumentsJson, String queue, int priority, int maxAttempts,
                          Backoff backoff, Duration timeout, DependencyMode mode, int[] parents, String limitKey) {

    public PlannedTask {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(parents, "parents");
    }
}
