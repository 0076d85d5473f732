package io.queuack.storage.memory;

import io.queuack.job.Attempt;
import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.storage.ClaimedJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One job held by {@link MemoryStorage}; mutable, guarded by the storage's monitor. */
final class MemoryRow {

    final long id;
    final String queue;
    final String task;
    final String sessionId;
    final String argumentsJson;
    final int priority;
    final int maxAttempts;
    final Backoff backoff;
    final Duration timeout;
    final String idempotencyKey;
    final Instant createdAt;
    final Instant expiresAt;
    final MemoryRun run;
    final String node;
    final DependencyMode mode;
    /** The key that key limits count it under, or null. */
    final String limitKey;
    final List<MemoryRow> parents = new ArrayList<>();
    final List<MemoryRow> children = new ArrayList<>();

    JobStatus status = JobStatus.PENDING;
    int attempts;
    Instant runAt;
    String owner;
    /** The pool that claimed the latest attempt, kept after it ends. */
    String worker;
    /** The attempts that failed, oldest first. */
    final List<Attempt> failedAttempts = new ArrayList<>();
    Instant leaseUntil;
    Instant startedAt;
    /** Whether the running attempt's start is stored. */
    boolean started;
    /** Attempts lost to a crash before their start was stored; once any, every start is stored before it runs. */
    int unstartedLosses;
    Instant finishedAt;
    double progress;
    String message;
    boolean reused;
    String resultJson;
    JobError error;

    MemoryRow(long id, String queue, String task, String sessionId, String argumentsJson, int priority, int maxAttempts,
              Backoff backoff, Duration timeout, String idempotencyKey, Instant createdAt, Instant runAt, Instant expiresAt,
              MemoryRun run, String node, DependencyMode mode, String limitKey) {
        this.id = id;
        this.queue = queue;
        this.task = task;
        this.sessionId = sessionId;
        this.argumentsJson = argumentsJson;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.timeout = timeout;
        this.idempotencyKey = idempotencyKey;
        this.createdAt = createdAt;
        this.runAt = runAt;
        this.expiresAt = expiresAt;
        this.run = run;
        this.node = node;
        this.mode = mode;
        this.limitKey = limitKey;
    }

    Job toJob() {
        return new Job(id, queue, task, status, priority, attempts, maxAttempts, backoff, timeout, createdAt, runAt,
                expiresAt, startedAt, finishedAt, progress, message, argumentsJson, resultJson, error, idempotencyKey,
                sessionId != null, owner, run == null ? null : run.id, node, reused, worker, limitKey);
    }

    /** Keeps the latest attempt when the job is now FAILED or DEAD. */
    void keepIfFailed() {
        if (status == JobStatus.FAILED || status == JobStatus.DEAD) {
            failedAttempts.add(new Attempt(attempts, worker, startedAt, finishedAt, status, error));
        }
    }

    ClaimedJob toClaimed() {
        return new ClaimedJob(id, queue, task, argumentsJson, priority, attempts, maxAttempts, backoff, timeout,
                run == null ? null : run.id, node, unstartedLosses > 0, runAt);
    }
}
