package io.queuack.storage;

import io.queuack.job.Backoff;
import java.time.Duration;
import java.time.Instant;

/**
 * A job a worker pool has just claimed (status RUNNING, leased to the pool).
 *
 * @param id            job id
 * @param queue         queue name
 * @param task          task name
 * @param argumentsJson argument as JSON, or null
 * @param priority      0-100
 * @param attempt       this attempt's number (attempts after the claim), 1-based
 * @param maxAttempts   attempts allowed
 * @param backoff       wait between attempts
 * @param timeout       per-attempt limit, or null
 * @param runId         the DAG run it belongs to, or null
 * @param node          its task's name in the DAG run, or null
 * @param storeStartFirst true when an earlier attempt was lost to a crash before its start was stored: this
 *                      attempt's start is stored before its task runs, so that a task that kills its process at
 *                      once still uses up its attempts
 * @param dueAt         when it became due (its run-at time: the enqueue time unless it was delayed or backed off);
 *                      claims are ordered by priority, then this, then id
 */
public record ClaimedJob(long id, String queue, String task, String argumentsJson, int priority, int attempt,
                         int maxAttempts, Backoff backoff, Duration timeout, Long runId, String node,
                         boolean storeStartFirst, Instant dueAt) {
}
