package io.queuack.storage;

import io.queuack.job.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Jobs to insert that share one task and one set of options and differ only in argument and
 * idempotency key. A batch of a million jobs is one template plus two lists, not a million objects.
 *
 * @param queue           queue name
 * @param task            task name
 * @param sessionId       for in-process (lambda) jobs, the session that may run them; null for named tasks
 * @param priority        0-100
 * @param maxAttempts     at least 1
 * @param backoff         wait between attempts
 * @param timeout         per-attempt limit, or null
 * @param createdAt       enqueue time
 * @param runAt           earliest start
 * @param expiresAt       time-to-live end, or null
 * @param arguments       one JSON argument per job (elements may be null)
 * @param idempotencyKeys one key per job (elements may be null), or null when no job has a key
 * @param limitKey        the key that key limits count every job of the batch under, or null
 */
public record JobBatch(
        String queue,
        String task,
        String sessionId,
        int priority,
        int maxAttempts,
        Backoff backoff,
        Duration timeout,
        Instant createdAt,
        Instant runAt,
        Instant expiresAt,
        List<String> arguments,
        List<String> idempotencyKeys,
        String limitKey) {

    public JobBatch {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(arguments, "arguments");
        if (idempotencyKeys != null && idempotencyKeys.size() != arguments.size()) {
            throw new IllegalArgumentException("idempotencyKeys must have one entry per argument");
        }
    }

    /** @return how many jobs the batch holds */
    public int size() {
        return arguments.size();
    }

    /** @return the idempotency key of job {@code index}, or null */
    public String keyAt(int index) {
        return idempotencyKeys == null ? null : idempotencyKeys.get(index);
    }
}
