package io.queuack.event;

import java.time.Instant;
import java.util.List;

/**
 * Jobs were stored as PENDING by one enqueue call (one event per call, however large the batch).
 *
 * @param queue the queue
 * @param task  the task
 * @param ids   the new jobs' ids, in call order (jobs deduplicated by idempotency key are not listed)
 * @param at    when they were stored
 */
public record EnqueuedEvent(String queue, String task, List<Long> ids, Instant at) {
}
