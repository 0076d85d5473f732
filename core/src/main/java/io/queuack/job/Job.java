package io.queuack.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A snapshot of one stored job, as read from storage. Times are UTC instants; fields that do not
 * apply yet are null.
 *
 * @param id             the job's id, unique within its queue database
 * @param queue          the named queue it is on
 * @param task           the task name it runs (for in-process jobs, a generated label)
 * @param status         where it is in its life cycle
 * @param priority       0-100, higher first
 * @param attempts       how many times it has started
 * @param maxAttempts    how many times it may start
 * @param backoff        the wait between attempts
 * @param timeout        the per-attempt time limit, or null
 * @param createdAt      when it was enqueued
 * @param runAt          the earliest time of its next (or last) start
 * @param expiresAt      when it expires unless started, or null
 * @param startedAt      when its last attempt started, or null
 * @param finishedAt     when it reached its current terminal or failed state, or null
 * @param progress       the task's last reported progress, 0 to 1
 * @param message        the task's last progress message, or null
 * @param argumentsJson  its argument as JSON, or null
 * @param resultJson     its result as JSON, or null
 * @param error          the last attempt's error, or null
 * @param idempotencyKey its idempotency key, or null
 * @param inProcess      true for lambda jobs, which only the session that enqueued them can run
 * @param owner          the worker pool that holds it while RUNNING, else null
 * @param runId          the DAG run it belongs to, or null for a plain job
 * @param node           its task's name within the DAG run, or null for a plain job
 * @param reused         true for a DAG task whose result was reused from an earlier run instead of computed
 * @param worker         the worker pool that claimed its latest attempt ({@code host:pid:pool-n:random}), kept after
 *                       it finished; null if it never ran
 * @param limitKey       the key that key limits count it under ({@link JobOptions#limitKey}), or null
 */
public record Job(
        long id,
        String queue,
        String task,
        JobStatus status,
        int priority,
        int attempts,
        int maxAttempts,
        Backoff backoff,
        Duration timeout,
        Instant createdAt,
        Instant runAt,
        Instant expiresAt,
        Instant startedAt,
        Instant finishedAt,
        double progress,
        String message,
        String argumentsJson,
        String resultJson,
        JobError error,
        String idempotencyKey,
        boolean inProcess,
        String owner,
        Long runId,
        String node,
        boolean reused,
        String worker,
        String limitKey) {

    /** @return how long the last attempt ran, or null while it has not finished */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }

    /** @return the host and process id of {@link #worker} ({@code host:pid}), or null if it never ran */
    public String workerProcess() {
        if (worker == null) {
            return null;
        }
        String[] parts = worker.split(":");
        return parts.length < 4 ? worker : String.join(":", Arrays.copyOf(parts, parts.length - 2));
    }

    /** @return a one-line description such as {@code #12 resize [img] SUCCEEDED attempt 1/3} */
    public String summary() {
        StringBuilder text = new StringBuilder("#").append(id).append(' ').append(task)
                .append(" [").append(queue).append("] ").append(status)
                .append(" attempt ").append(attempts).append('/').append(maxAttempts);
        if (error != null && status != JobStatus.SUCCEEDED) {
            text.append(" — ").append(error.summary());
        }
        return text.toString();
    }
}
