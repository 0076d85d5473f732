package io.queuack.job;

import io.queuack.text.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a job is queued and retried: queue, priority, delay or run-at time, attempts, backoff,
 * timeout, time-to-live, idempotency key and limit key. Immutable; every {@code with}-style method validates
 * its input and returns a copy.
 *
 * <pre>{@code
 * JobOptions opts = JobOptions.defaults().queue("mail").priority(80).delay(Duration.ofMinutes(5))
 *         .maxAttempts(5).timeout(Duration.ofSeconds(30));
 * }</pre>
 */
public final class JobOptions {

    /** Lowest priority. */
    public static final int MIN_PRIORITY = 0;
    /** Highest priority; higher runs first. */
    public static final int MAX_PRIORITY = 100;
    /** Priority when none is given. */
    public static final int DEFAULT_PRIORITY = 50;
    /** Attempts when none is given (the first run plus two retries). */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Upper bound for {@link #maxAttempts(int)}. */
    public static final int MAX_ATTEMPTS_LIMIT = 1_000;
    /** Longest idempotency key. */
    public static final int MAX_KEY_LENGTH = 255;

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,100}");
    private static final JobOptions DEFAULTS =
            new JobOptions(null, DEFAULT_PRIORITY, null, null, DEFAULT_MAX_ATTEMPTS, Backoff.DEFAULT, null, null, null, null);

    private final String queue;
    private final int priority;
    private final Duration delay;
    private final Instant runAt;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration timeout;
    private final Duration ttl;
    private final String idempotencyKey;
    private final String limitKey;

    private JobOptions(String queue, int priority, Duration delay, Instant runAt, int maxAttempts, Backoff backoff,
                       Duration timeout, Duration ttl, String idempotencyKey, String limitKey) {
        this.queue = queue;
        this.priority = priority;
        this.delay = delay;
        this.runAt = runAt;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.timeout = timeout;
        this.ttl = ttl;
        this.idempotencyKey = idempotencyKey;
        this.limitKey = limitKey;
    }

    /** @return options with every default: the queue's default queue, priority 50, 3 attempts, {@link Backoff#DEFAULT} */
    public static JobOptions defaults() {
        return DEFAULTS;
    }

    /** @param queue the named queue to put the job on: 1-100 letters, digits or {@code _ . : / -} */
    public JobOptions queue(String queue) {
        return new JobOptions(checkQueueName(queue), priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /** @param priority 0 (lowest) to 100 (highest); higher-priority jobs are claimed first */
    public JobOptions priority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("Priority must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY
                    + " (higher runs first), was " + priority);
        }
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /**
     * @param delay how long after enqueueing the job may start; zero to {@link Limits#MAX_DURATION}. Replaces any
     *              {@link #runAt}.
     */
    public JobOptions delay(Duration delay) {
        Limits.storable("delay", delay);
        return new JobOptions(queue, priority, delay, null, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /**
     * @param runAt the earliest time the job may start, no later than {@link Limits#LATEST_TIME}; a time in the
     *              past means now. Replaces any {@link #delay}.
     */
    public JobOptions runAt(Instant runAt) {
        Limits.storable("runAt", runAt);
        return new JobOptions(queue, priority, null, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /** @param maxAttempts how many times the job may run before it is dead, 1 to 1000 */
    public JobOptions maxAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT
                    + " (1 means no retry), was " + maxAttempts);
        }
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /** @param backoff the wait between a failed attempt and the next one */
    public JobOptions backoff(Backoff backoff) {
        Objects.requireNonNull(backoff, "backoff");
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    /**
     * @param timeout the longest one attempt may run; the worker interrupts it then and counts a failed
     *                attempt. Positive, at most {@link Limits#MAX_DURATION}. Without it, attempts are not limited in time.
     */
    public JobOptions timeout(Duration timeout) {
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, Limits.storablePositive("timeout", timeout), ttl, idempotencyKey, limitKey);
    }

    /**
     * @param ttl time-to-live: if the job has not started this long after it was enqueued, it becomes EXPIRED.
     *            Positive, at most {@link Limits#MAX_DURATION}.
     */
    public JobOptions ttl(Duration ttl) {
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, Limits.storablePositive("ttl", ttl), idempotencyKey, limitKey);
    }

    /**
     * @param key a caller-chosen unique key: enqueueing again with a key that a stored job already has
     *            returns that job's id and stores nothing. 1-255 characters.
     */
    public JobOptions idempotencyKey(String key) {
        Objects.requireNonNull(key, "idempotency key");
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Idempotency key must be 1 to " + MAX_KEY_LENGTH
                    + " characters and not blank, was '" + key + "'");
        }
        int lone = Text.loneSurrogate(key);
        if (lone >= 0) {
            throw new IllegalArgumentException("Idempotency key must be well-formed Unicode text: it has a lone"
                    + " surrogate (U+" + Integer.toHexString(key.charAt(lone)).toUpperCase() + ") at index " + lone
                    + ", which storage cannot keep apart from other keys");
        }
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, key, limitKey);
    }

    /**
     * @param key a label that the {@link JobLimit#key key limits} of the store count the job under, e.g.
     *            {@code "account-42"} with {@code JobLimit.key("account-*").maxRunning(1)}: one job at a time per
     *            account. 1-255 characters, no {@code *}. A key no limit names holds nothing back.
     */
    public JobOptions limitKey(String key) {
        return new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey,
                JobLimit.checkKey(key));
    }

    /** @return the queue name, or null for the queue's default queue */
    public String queue() {
        return queue;
    }

    public int priority() {
        return priority;
    }

    /** @return the delay, or null */
    public Duration delay() {
        return delay;
    }

    /** @return the run-at time, or null */
    public Instant runAt() {
        return runAt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** @return the per-attempt timeout, or null for none */
    public Duration timeout() {
        return timeout;
    }

    /** @return the time-to-live, or null for none */
    public Duration ttl() {
        return ttl;
    }

    /** @return the idempotency key, or null */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** @return the key that key limits count the job under, or null */
    public String limitKey() {
        return limitKey;
    }

    /** @return the earliest start for a job enqueued at {@code now} */
    public Instant startTime(Instant now) {
        if (runAt != null) {
            return runAt.isBefore(now) ? now : runAt;
        }
        return delay == null ? now : Limits.plusCapped(now, delay);
    }

    /**
     * @return {@code queue} if it is a valid queue name: 1-100 letters, digits or {@code _ . : / -}
     * @throws IllegalArgumentException naming the rule otherwise
     */
    public static String checkQueueName(String queue) {
        Objects.requireNonNull(queue, "queue");
        if (!QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("Queue name must be 1-100 letters, digits or _ . : / -, was '" + queue + "'");
        }
        return queue;
    }

    /** @return these options without an idempotency key */
    public JobOptions withoutKey() {
        return idempotencyKey == null ? this
                : new JobOptions(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, null, limitKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobOptions other && priority == other.priority && maxAttempts == other.maxAttempts
                && Objects.equals(queue, other.queue) && Objects.equals(delay, other.delay)
                && Objects.equals(runAt, other.runAt) && backoff.equals(other.backoff)
                && Objects.equals(timeout, other.timeout) && Objects.equals(ttl, other.ttl)
                && Objects.equals(idempotencyKey, other.idempotencyKey) && Objects.equals(limitKey, other.limitKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queue, priority, delay, runAt, maxAttempts, backoff, timeout, ttl, idempotencyKey, limitKey);
    }

    @Override
    public String toString() {
        return "JobOptions[queue=" + queue + ", priority=" + priority + ", delay=" + delay + ", runAt=" + runAt
                + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", timeout=" + timeout + ", ttl=" + ttl
                + ", idempotencyKey=" + idempotencyKey + ", limitKey=" + limitKey + "]";
    }
}
