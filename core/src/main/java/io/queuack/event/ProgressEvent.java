package io.queuack.event;

import java.time.Instant;

/**
 * A running task reported progress.
 *
 * @param jobId    the job
 * @param queue    its queue
 * @param task     its task
 * @param progress 0 to 1
 * @param message  the message, or null
 * @param at       when it was reported
 */
public record ProgressEvent(long jobId, String queue, String task, double progress, String message, Instant at) {
}
