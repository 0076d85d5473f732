package io.queuack.job;

import io.queuack.text.Text;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A limit on the jobs of one queue, one task or one key: at most {@link #maxRunning()} running at once (a mutex
 * with 1), and at most {@link #maxStarts()} starts in any {@link #per()} window. Limits live in the store, so
 * every worker pool of every process that shares it obeys them; a job a limit holds back waits, due, until the
 * limit lets it start. Immutable; every method validates its input and returns a copy.
 *
 * <pre>{@code
 * JobLimit.queue("emails").maxRunning(5)                          // at most 5 e-mail jobs at once
 * JobLimit.task("fetch").maxStarts(10, Duration.ofMinutes(1))     // an API that allows 10 calls a minute
 * JobLimit.key("account-*").maxRunning(1)                         // one job at a time per account
 * }</pre>
 *
 * <p>A key is a label a job carries ({@link JobOptions#limitKey(String)}). A key limit names one key, or, ending
 * in {@code *}, every key that starts with what comes before: each such key is counted on its own (with
 * {@code account-*}, the jobs of {@code account-1} and of {@code account-2} do not hold each other back). Where
 * several key limits match, the exact one, else the longest pattern, applies. A job runs only when every limit
 * that names its queue, its task and its key lets it.
 */
public final class JobLimit {

    /** The highest {@link #maxRunning(int)}. */
    public static final int MAX_RUNNING = 1_000_000;
    /** The highest {@link #maxStarts(int, Duration)}. */
    public static final int MAX_STARTS = 1_000_000;
    /** The shortest window of {@link #maxStarts(int, Duration)}: one second. */
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    /** The longest window of {@link #maxStarts(int, Duration)}: one day. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** The longest name (a queue's, a task's, a key or key pattern). */
    public static final int MAX_NAME_LENGTH = JobOptions.MAX_KEY_LENGTH;

    /** What a limit counts. */
    public enum Scope {
        /** The jobs of one queue (DAG tasks on it included). */
        QUEUE,
        /** The jobs of one task (a DAG task's stored name is {@code dag:<dag>:<task>}). */
        TASK,
        /** The jobs that carry one key ({@link JobOptions#limitKey}), or each key that matches a pattern. */
        KEY;

        /** @return the scope's name as stored and shown: {@code queue}, {@code task}, {@code key} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the scope named {@code label} (any case) */
        public static Scope of(String label) {
            for (Scope scope : values()) {
                if (scope.label().equalsIgnoreCase(Objects.requireNonNull(label, "scope").strip())) {
                    return scope;
                }
            }
            throw new IllegalArgumentException("Unknown limit scope '" + label + "': use queue, task or key");
        }
    }

    private final Scope scope;
    private final String name;
    private final int maxRunning;
    private final int maxStarts;
    private final Duration per;

    private JobLimit(Scope scope, String name, int maxRunning, int maxStarts, Duration per) {
        this.scope = scope;
        this.name = name;
        this.maxRunning = maxRunning;
        this.maxStarts = maxStarts;
        this.per = per;
    }

    /** @return a limit on the jobs of queue {@code name}; give it its numbers with {@link #maxRunning} or {@link #maxStarts} */
    public static JobLimit queue(String name) {
        return new JobLimit(Scope.QUEUE, JobOptions.checkQueueName(name), 0, 0, null);
    }

    /** @return a limit on the jobs of the task registered as {@code name} */
    public static JobLimit task(String name) {
        return new JobLimit(Scope.TASK, checkName("task name", name), 0, 0, null);
    }

    /**
     * @param keyOrPattern a key ({@code "nightly-sync"}) or a pattern ending in {@code *} ({@code "account-*"}): each
     *                     key that starts with the part before the {@code *} gets its own count
     * @return a limit on the jobs that carry that key
     */
    public static JobLimit key(String keyOrPattern) {
        String name = checkName("limit key", keyOrPattern);
        if (name.indexOf('*') >= 0 && name.indexOf('*') != name.length() - 1) {
            throw new IllegalArgumentException("A key pattern may hold one '*', at its end (\"account-*\"), was '"
                    + keyOrPattern + "'");
        }
        return new JobLimit(Scope.KEY, name, 0, 0, null);
    }

    /** @return a limit of {@code scope} on {@code name}: {@link #queue}, {@link #task} or {@link #key} */
    public static JobLimit of(Scope scope, String name) {
        return switch (Objects.requireNonNull(scope, "scope")) {
            case QUEUE -> queue(name);
            case TASK -> task(name);
            case KEY -> key(name);
        };
    }

    /** @return {@code key} if it can be a job's limit key: 1-255 characters of well-formed text, no {@code *} */
    public static String checkKey(String key) {
        checkName("limit key", key);
        if (key.indexOf('*') >= 0) {
            throw new IllegalArgumentException("A job's limit key may not hold '*' (patterns belong to limits), was '"
                    + key + "'");
        }
        return key;
    }

    private static String checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A " + what + " must be 1 to " + MAX_NAME_LENGTH
                    + " characters and not blank, was '" + name + "'");
        }
        int lone = Text.loneSurrogate(name);
        if (lone >= 0) {
            throw new IllegalArgumentException("A " + what + " must be well-formed Unicode text: it has a lone"
                    + " surrogate at index " + lone);
        }
        return name;
    }

    /**
     * @param jobs at most this many jobs of the limit's scope run at once (claimed counts as running), 1 to
     *             {@value #MAX_RUNNING}; 1 makes it a mutex
     */
    public JobLimit maxRunning(int jobs) {
        if (jobs < 1 || jobs > MAX_RUNNING) {
            throw new IllegalArgumentException("A limit's maxRunning must be between 1 (a mutex) and " + MAX_RUNNING
                    + ", was " + jobs);
        }
        return new JobLimit(scope, name, jobs, maxStarts, per);
    }

    /**
     * @param starts at most this many jobs of the limit's scope start in any window of length {@code window}
     *               (a sliding window: every start counts until {@code window} after it), 1 to {@value #MAX_STARTS}
     * @param window {@link #MIN_WINDOW} (1 s) to {@link #MAX_WINDOW} (1 day)
     */
    public JobLimit maxStarts(int starts, Duration window) {
        if (starts < 1 || starts > MAX_STARTS) {
            throw new IllegalArgumentException("A limit's maxStarts must be between 1 and " + MAX_STARTS + ", was "
                    + starts);
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("A limit's window must be between 1 second and 1 day, was " + window);
        }
        return new JobLimit(scope, name, maxRunning, starts, window);
    }

    /** @return this limit without a bound on running jobs (only its rate, if any) */
    public JobLimit withoutMaxRunning() {
        return new JobLimit(scope, name, 0, maxStarts, per);
    }

    /** @return this limit without a bound on starts (only its running bound, if any) */
    public JobLimit withoutMaxStarts() {
        return new JobLimit(scope, name, maxRunning, 0, null);
    }

    /**
     * @return this limit, if it bounds something
     * @throws IllegalArgumentException if it has neither a running nor a start bound
     */
    public JobLimit checkComplete() {
        if (maxRunning == 0 && maxStarts == 0) {
            throw new IllegalArgumentException("Limit " + label() + " bounds nothing: give it maxRunning(n) and/or"
                    + " maxStarts(m, window)");
        }
        return this;
    }

    public Scope scope() {
        return scope;
    }

    /** @return the queue's or task's name, the key, or the key pattern */
    public String name() {
        return name;
    }

    /** @return the most jobs running at once, or 0 for no bound */
    public int maxRunning() {
        return maxRunning;
    }

    /** @return the most starts in one window, or 0 for no bound */
    public int maxStarts() {
        return maxStarts;
    }

    /** @return the window of {@link #maxStarts()}, or null for no bound */
    public Duration per() {
        return per;
    }

    /** @return true for a key limit whose name ends in {@code *} */
    public boolean isPattern() {
        return scope == Scope.KEY && name.endsWith("*");
    }

    /** @return whether this key limit names {@code key}: the same key, or a pattern it starts with */
    public boolean matchesKey(String key) {
        if (scope != Scope.KEY || key == null) {
            return false;
        }
        return isPattern() ? key.startsWith(name.substring(0, name.length() - 1)) : name.equals(key);
    }

    /** @return the limit's scope and name, e.g. {@code queue:emails} or {@code key:account-*} */
    public String label() {
        return scope.label() + ":" + name;
    }

    /** @return the bounds in words, e.g. {@code "at most 5 running, at most 10 starts per 1m"} */
    public String describeBounds() {
        StringBuilder text = new StringBuilder();
        if (maxRunning > 0) {
            text.append(maxRunning == 1 ? "one at a time" : "at most " + maxRunning + " running");
        }
        if (maxStarts > 0) {
            text.append(text.isEmpty() ? "" : ", ").append("at most ").append(maxStarts).append(maxStarts == 1
                    ? " start" : " starts").append(" per ").append(window(per));
        }
        return text.isEmpty() ? "no bound" : text.toString();
    }

    /** @return a window in words: {@code second}, {@code 10 s}, {@code minute}, {@code 5 min}, {@code hour}, {@code day} */
    private static String window(Duration window) {
        if (window.toMillis() % 1000 != 0) {
            return window.toMillis() + " ms";
        }
        long seconds = window.toSeconds();
        if (seconds % 86_400 == 0) {
            return "day";
        }
        if (seconds % 3_600 == 0) {
            return seconds == 3_600 ? "hour" : seconds / 3_600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds == 60 ? "minute" : seconds / 60 + " min";
        }
        return seconds == 1 ? "second" : seconds + " s";
    }

    @Override
    public String toString() {
        return label() + " (" + describeBounds() + (isPattern() ? ", per key" : "") + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobLimit that && scope == that.scope && name.equals(that.name)
                && maxRunning == that.maxRunning && maxStarts == that.maxStarts && Objects.equals(per, that.per);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, name, maxRunning, maxStarts, per);
    }
}
