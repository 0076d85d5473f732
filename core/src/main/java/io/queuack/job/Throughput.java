package io.queuack.job;

import java.time.Instant;

/**
 * The jobs of one queue that finished within one minute, by when they last finished.
 *
 * @param queue     the queue
 * @param minute    the start of the minute (UTC)
 * @param succeeded jobs that succeeded
 * @param failed    attempts that failed (to retry later) and jobs that went dead, whose latest failure fell then
 */
public record Throughput(String queue, Instant minute, long succeeded, long failed) {
}
