package io.queuack;

import io.queuack.error.JobNotFoundException;
import io.queuack.job.Job;
import io.queuack.job.JobLimit;
import io.queuack.job.JobStatus;
import io.queuack.job.LimitHold;
import io.queuack.job.LimitState;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits of a queue's store: at most N jobs running at once and at most M starts per window, per queue, per
 * task or per key ({@link JobLimit}). They live in the store, so every worker pool of every process sharing it
 * obeys them from its next claim on, and they survive restarts.
 *
 * <pre>{@code
 * queue.limits().set(JobLimit.queue("emails").maxRunning(5));
 * queue.limits().set(JobLimit.key("account-*").maxRunning(1));          // a mutex per account
 * queue.enqueue("sync", account, JobOptions.defaults().limitKey("account-" + account.id()));
 * queue.limits().why(jobId).forEach(hold -> System.out.println(hold.describe()));
 * }</pre>
 */
public final class JobLimits {

    private final Engine engine;

    JobLimits(Engine engine) {
        this.engine = engine;
    }

    /**
     * Stores {@code limit}, replacing the stored one of the same scope and name; running jobs are not stopped, but no
     * job starts beyond it from now on.
     *
     * @return the limit
     * @throws IllegalArgumentException if it bounds nothing (neither maxRunning nor maxStarts was given)
     */
    public JobLimit set(JobLimit limit) {
        Objects.requireNonNull(limit, "limit").checkComplete();
        engine.checkOpen();
        engine.storage().putLimit(limit, engine.now());
        engine.jobsAdded(null, engine.now());
        return limit;
    }

    /** Deletes the limit of that scope and name; the jobs it held back may start. @return true if it was stored */
    public boolean remove(JobLimit.Scope scope, String name) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        engine.checkOpen();
        boolean removed = engine.storage().deleteLimit(scope, name);
        if (removed) {
            engine.jobsAdded(null, engine.now());
        }
        return removed;
    }

    /** @return every stored limit, by scope and name */
    public List<JobLimit> list() {
        engine.checkOpen();
        return engine.storage().limits();
    }

    /** @return the stored limit of that scope and name */
    public Optional<JobLimit> get(JobLimit.Scope scope, String name) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        return list().stream().filter(limit -> limit.scope() == scope && limit.name().equals(name)).findFirst();
    }

    /** @return every stored limit with what it counts now */
    public List<LimitState> states() {
        engine.checkOpen();
        Instant now = engine.now();
        List<JobLimit> limits = engine.storage().limits();
        LimitUsage usage = engine.storage().limitUsage(now);
        LimitGate gate = LimitGate.of(limits, usage, now);
        List<LimitState> states = new ArrayList<>(limits.size());
        for (JobLimit limit : limits) {
            states.add(state(limit, usage, gate));
        }
        return states;
    }

    private static LimitState state(JobLimit limit, LimitUsage usage, LimitGate gate) {
        String prefix = LimitGate.subject(limit.scope(), limit.isPattern()
                ? limit.name().substring(0, limit.name().length() - 1) : limit.name());
        int running = 0;
        int started = 0;
        int full = 0;
        Instant next = null;
        for (Map.Entry<String, Integer> entry : usage.running().entrySet()) {
            if (counts(limit, prefix, entry.getKey(), gate)) {
                running += entry.getValue();
            }
        }
        for (Map.Entry<String, LimitUsage.Starts> entry : usage.starts().entrySet()) {
            if (counts(limit, prefix, entry.getKey(), gate)) {
                started += entry.getValue().count();
            }
        }
        if (limit.isPattern()) {
            for (String key : gate.fullKeys()) {
                if (gate.keyLimit(key) == limit) {
                    full++;
                }
            }
        } else {
            List<LimitHold> holds = switch (limit.scope()) {
                case QUEUE -> gate.holds(limit.name(), null, null);
                case TASK -> gate.holds(null, limit.name(), null);
                case KEY -> gate.holds(null, null, limit.name());
            };
            full = holds.isEmpty() ? 0 : 1;
            next = holds.isEmpty() ? null : holds.get(0).nextStartAt();
        }
        return new LimitState(limit, running, started, full, next);
    }

    /** @return whether the usage of {@code subject} counts for {@code limit} (for a pattern: a key it governs) */
    private static boolean counts(JobLimit limit, String prefix, String subject, LimitGate gate) {
        if (!limit.isPattern()) {
            return subject.equals(prefix);
        }
        return subject.startsWith(prefix)
                && gate.keyLimit(subject.substring(LimitGate.subject(JobLimit.Scope.KEY, "").length())) == limit;
    }

    /**
     * Why a job waits: the limits that hold it back now. Empty when none does (it is not waiting, not due yet, or
     * simply next in line).
     *
     * @throws JobNotFoundException if no job has that id
     */
    public List<LimitHold> why(long jobId) {
        engine.checkOpen();
        Job job = engine.storage().find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        Instant now = engine.now();
        if (!JobStatus.WAITING.contains(job.status()) || job.runAt().isAfter(now)) {
            return List.of();
        }
        List<JobLimit> limits = engine.storage().limits();
        if (limits.isEmpty()) {
            return List.of();
        }
        return LimitGate.of(limits, engine.storage().limitUsage(now), now).holds(job.queue(), job.task(), job.limitKey());
    }
}
