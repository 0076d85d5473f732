package io.queuack;

import java.time.Duration;
import java.util.Map;

/**
 * A worker pool's configuration, fixed at start.
 *
 * @param id                the owner id stored with claimed jobs
 * @param concurrency       worker threads
 * @param weights           queues listened to, with their weights, in order
 * @param visibilityTimeout lease length; renewed every third of it while the pool lives
 * @param shutdownGrace     how long close waits for running jobs before interrupting them
 * @param pollInterval      how often to look for jobs nobody announced (recovered, or due by time)
 * @param maxClaimBatch     the most jobs claimed beyond the concurrency
 * @param rootRunId         when set, the pool runs only the tasks of this DAG run tree
 * @param graceAtExit       whether JVM shutdown (SIGTERM) waits the shutdown grace too, instead of giving running
 *                          jobs back at once
 */
record PoolSettings(String id, int concurrency, Map<String, Integer> weights, Duration visibilityTimeout,
                    Duration shutdownGrace, Duration pollInterval, int maxClaimBatch, Long rootRunId,
                    boolean graceAtExit) {
}
