package io.queuack.storage;

import io.queuack.job.JobLimit;
import io.queuack.job.LimitHold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store's limits applied to one round trip's claims, shared by every backend: built from the stored limits
 * and what they count now ({@link LimitUsage}, read in the claiming transaction), it admits claimable jobs one by
 * one, counting each admitted job against every limit that names its queue, task or key, and remembers the starts
 * to record and which queues it held back. One gate serves one transaction (not thread-safe).
 */
public final class LimitGate {

    private static final Comparator<JobLimit> LONGEST_FIRST =
            Comparator.comparingInt((JobLimit limit) -> limit.name().length()).reversed();

    private final Map<String, JobLimit> queueLimits = new HashMap<>();
    private final Map<String, JobLimit> taskLimits = new HashMap<>();
    private final Map<String, JobLimit> exactKeys = new HashMap<>();
    private final List<JobLimit> keyPatterns = new ArrayList<>();
    private final LimitUsage usage;
    private final Instant now;
    /** What each subject may still take in this round trip; filled as subjects come up. */
    private final Map<String, Integer> remaining = new HashMap<>();
    private final List<LimitUsage.Start> starts = new ArrayList<>();
    private final Set<String> heldQueues = new LinkedHashSet<>();
    private Instant rateFreesAt;

    private LimitGate(List<JobLimit> limits, LimitUsage usage, Instant now) {
        this.usage = usage;
        this.now = now;
        for (JobLimit limit : limits) {
            switch (limit.scope()) {
                case QUEUE -> queueLimits.put(limit.name(), limit);
                case TASK -> taskLimits.put(limit.name(), limit);
                case KEY -> {
                    if (limit.isPattern()) {
                        keyPatterns.add(limit);
                    } else {
                        exactKeys.put(limit.name(), limit);
                    }
                }
                default -> throw new IllegalStateException("Unknown limit scope " + limit.scope());
            }
        }
        keyPatterns.sort(LONGEST_FIRST);
    }

    /** @return a gate for {@code limits} with the counts of {@code usage}, at {@code now} */
    public static LimitGate of(List<JobLimit> limits, LimitUsage usage, Instant now) {
        return new LimitGate(limits, usage, now);
    }

    /** @return the subject a limit of {@code scope} counts {@code name} under, e.g. {@code key:account-42} */
    public static String subject(JobLimit.Scope scope, String name) {
        return scope.label() + ":" + name;
    }

    /** @return true when claims from {@code queue} for {@code request} must pass this gate */
    public boolean affects(String queue, CycleRequest request) {
        return queueLimits.containsKey(queue) || hasKeyLimits() || limitsAnOfferedTask(request);
    }

    private boolean limitsAnOfferedTask(CycleRequest request) {
        return taskLimits.keySet().stream().anyMatch(request::offers);
    }

    /**
     * @return how many jobs a plain claim from {@code queue} may take, when only the queue's own limit can hold its
     *         jobs back (no key limit, no limit on a task the request offers): then no job needs to pass one by one;
     *         -1 otherwise
     */
    public int plainLimit(String queue, CycleRequest request, int asked) {
        return hasKeyLimits() || limitsAnOfferedTask(request) ? -1 : Math.min(asked, queueRemaining(queue));
    }

    /**
     * Counts the jobs a plain claim took ({@link #plainLimit}) against the queue's limit; the queue is held when its
     * limit cut the claim short and the claim took all it was allowed (more may wait).
     */
    public void claimedPlainly(String queue, int asked, int allowed, int claimed) {
        for (int i = 0; i < claimed; i++) {
            take(queueLimits.get(queue), queue);
        }
        if (allowed < asked && claimed == allowed) {
            heldQueues.add(queue);
        }
    }

    /** @return the key limit that counts {@code key}: the exact one, else the longest matching pattern; or null */
    public JobLimit keyLimit(String key) {
        if (key == null) {
            return null;
        }
        JobLimit exact = exactKeys.get(key);
        if (exact != null) {
            return exact;
        }
        for (JobLimit pattern : keyPatterns) {
            if (pattern.matchesKey(key)) {
                return pattern;
            }
        }
        return null;
    }

    /** @return how many more jobs of {@code queue} may start in this round trip ({@link Integer#MAX_VALUE}: no limit) */
    public int queueRemaining(String queue) {
        JobLimit limit = queueLimits.get(queue);
        return limit == null ? Integer.MAX_VALUE : remaining(limit, queue);
    }

    /** @return how many more jobs of the limited task {@code task} may start in this round trip */
    public int taskRemaining(String task) {
        JobLimit limit = taskLimits.get(task);
        return limit == null ? Integer.MAX_VALUE : remaining(limit, task);
    }

    /** @return the tasks that have a limit */
    public Set<String> limitedTasks() {
        return taskLimits.keySet();
    }

    /** @return true when some key limit is stored (every keyed job then passes the gate one by one) */
    public boolean hasKeyLimits() {
        return !exactKeys.isEmpty() || !keyPatterns.isEmpty();
    }

    /** @return every key limit: the exact ones, then the patterns, longest first */
    public List<JobLimit> keyLimits() {
        List<JobLimit> all = new ArrayList<>(exactKeys.values());
        all.addAll(keyPatterns);
        return all;
    }

    /** @return the limited tasks that may not start another job now */
    public Set<String> fullTasks() {
        Set<String> full = new HashSet<>();
        taskLimits.forEach((task, limit) -> {
            if (remaining(limit, task) <= 0) {
                full.add(task);
            }
        });
        return full;
    }

    /**
     * @return the keys that may not start another job now (only keys with running jobs, recent starts or jobs admitted
     *         in this round trip can be)
     */
    public Set<String> fullKeys() {
        Set<String> full = new HashSet<>();
        Set<String> seen = new HashSet<>(exactKeys.keySet());
        collectKeys(usage.running().keySet(), seen);
        collectKeys(usage.starts().keySet(), seen);
        collectKeys(remaining.keySet(), seen);
        for (String key : seen) {
            JobLimit limit = keyLimit(key);
            if (limit != null && remaining(limit, key) <= 0) {
                full.add(key);
            }
        }
        return full;
    }

    private static void collectKeys(Set<String> subjects, Set<String> into) {
        String prefix = subject(JobLimit.Scope.KEY, "");
        for (String subject : subjects) {
            if (subject.startsWith(prefix)) {
                into.add(subject.substring(prefix.length()));
            }
        }
    }

    /**
     * Admits a claimable job if every limit on its queue, task and key has room, and counts it against them.
     *
     * @return true if it may be claimed now
     */
    public boolean admit(String queue, String task, String key) {
        JobLimit onQueue = queueLimits.get(queue);
        JobLimit onTask = taskLimits.get(task);
        JobLimit onKey = keyLimit(key);
        if ((onQueue != null && remaining(onQueue, queue) <= 0) || (onTask != null && remaining(onTask, task) <= 0)
                || (onKey != null && remaining(onKey, key) <= 0)) {
            return false;
        }
        take(onQueue, queue);
        take(onTask, task);
        take(onKey, key);
        return true;
    }

    /** Marks {@code queue} held back by a limit (claimable jobs were left because of one). */
    public void held(String queue) {
        heldQueues.add(queue);
    }

    private void take(JobLimit limit, String name) {
        if (limit == null) {
            return;
        }
        String subject = subject(limit.scope(), name);
        remaining.merge(subject, -1, Integer::sum);
        if (limit.maxStarts() > 0) {
            long width = Math.max(1, limit.per().toMillis() / LimitUsage.BUCKETS_PER_WINDOW);
            Instant bucket = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), width) * width);
            starts.add(new LimitUsage.Start(subject, bucket, bucket.plusMillis(width).plus(limit.per())));
        }
    }

    private int remaining(JobLimit limit, String name) {
        return remaining.computeIfAbsent(subject(limit.scope(), name), subject -> {
            int room = Integer.MAX_VALUE;
            if (limit.maxRunning() > 0) {
                room = limit.maxRunning() - usage.running().getOrDefault(subject, 0);
            }
            LimitUsage.Starts window = usage.starts().get(subject);
            if (limit.maxStarts() > 0) {
                int left = limit.maxStarts() - (window == null ? 0 : window.count());
                if (left <= 0 && (rateFreesAt == null || window.firstExpiry().isBefore(rateFreesAt))) {
                    rateFreesAt = window.firstExpiry();
                }
                room = Math.min(room, left);
            }
            return Math.max(0, room);
        });
    }

    /** @return the starts of the admitted jobs that rate limits count, to record with the claims */
    public List<LimitUsage.Start> starts() {
        return starts;
    }

    /** @return whether the starts log holds buckets whose window has ended, to forget when starts are recorded */
    public boolean expiredStarts() {
        return usage.expiredStarts();
    }

    /** @return the queues whose claims left claimable jobs because of a limit */
    public Set<String> heldQueues() {
        return heldQueues;
    }

    /** @return the earliest time a full rate window lets a start through again, or null */
    public Instant rateFreesAt() {
        return rateFreesAt;
    }

    /**
     * @return the limits that hold back a waiting, due job of {@code queue}, {@code task} and {@code key} now (empty
     *         if none does); counts nothing
     */
    public List<LimitHold> holds(String queue, String task, String key) {
        List<LimitHold> holds = new ArrayList<>();
        addHold(holds, queueLimits.get(queue), queue);
        addHold(holds, taskLimits.get(task), task);
        addHold(holds, keyLimit(key), key);
        return holds;
    }

    private void addHold(List<LimitHold> holds, JobLimit limit, String name) {
        if (limit == null) {
            return;
        }
        String subject = subject(limit.scope(), name);
        int running = usage.running().getOrDefault(subject, 0);
        LimitUsage.Starts window = usage.starts().get(subject);
        int started = window == null ? 0 : window.count();
        if (limit.maxRunning() > 0 && running >= limit.maxRunning()) {
            holds.add(new LimitHold(limit, name, running, started, null));
        } else if (limit.maxStarts() > 0 && started >= limit.maxStarts()) {
            holds.add(new LimitHold(limit, name, running, started, window.firstExpiry()));
        }
    }
}
