package io.queuack.job;

import java.time.Duration;
import java.time.Instant;

/**
 * One DAG run as stored at one moment (a {@code DagRun} handle reads the store again on every call).
 *
 * @param id         the run
 * @param dag        its DAG's name
 * @param status     its status
 * @param spawnedBy  the job of the task that spawned it (a sub-DAG or fan-out), or null for a top-level run
 * @param createdAt  when it was submitted
 * @param finishedAt when it finished, or null
 * @param taskCount  its tasks
 * @param unfinished its tasks that have not finished
 */
public record RunSummary(long id, String dag, RunStatus status, Long spawnedBy, Instant createdAt, Instant finishedAt,
                         int taskCount, int unfinished) {

    /** @return the share of tasks that have finished, 0 to 1 */
    public double progress() {
        return taskCount == 0 ? 1.0 : (double) (taskCount - unfinished) / taskCount;
    }

    /** @return how long it took, or has taken until {@code now} */
    public Duration duration(Instant now) {
        return Duration.between(createdAt, finishedAt == null ? now : finishedAt);
    }
}
