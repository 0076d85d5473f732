package io.queuack.storage.memory;

import io.queuack.Job;
import io.queuack.JobError;
import io.queuack.JobQuery;
import io.queuack.JobStatus;
import io.queuack.QueueClosedException;
import io.queuack.QueueStats;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.JobTransition;
import io.queuack.storage.ManualTransition;
import io.queuack.storage.ProgressUpdate;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Jobs in plain Java collections: the fastest store, for tests and throw-away sessions. Nothing
 * survives {@link #close()}. Every method holds the instance's monitor, so each is atomic.
 */
public final class MemoryStorage implements Storage {

    private static final Comparator<MemoryRow> CLAIM_ORDER = Comparator.<MemoryRow>comparingInt(r -> -r.priority)
            .thenComparing(r -> r.runAt).thenComparingLong(r -> r.id);
    private static final Comparator<MemoryRow> RUN_AT_ORDER =
            Comparator.<MemoryRow, Instant>comparing(r -> r.runAt).thenComparingLong(r -> r.id);
    private static final Comparator<MemoryRow> EXPIRY_ORDER =
            Comparator.<MemoryRow, Instant>comparing(r -> r.expiresAt).thenComparingLong(r -> r.id);

    /** Waiting jobs of one queue: due ones in claim order, later ones by run-at time. */
    private static final class Lane {
        final TreeSet<MemoryRow> due = new TreeSet<>(CLAIM_ORDER);
        final TreeSet<MemoryRow> later = new TreeSet<>(RUN_AT_ORDER);

        void promote(Instant now) {
            while (!later.isEmpty() && !later.first().runAt.isAfter(now)) {
                due.add(later.pollFirst());
            }
        }
    }

    private final TreeMap<Long, MemoryRow> rows = new TreeMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<Long, MemoryRow> running = new HashMap<>();
    private final TreeSet<MemoryRow> expiring = new TreeSet<>(EXPIRY_ORDER);
    private final Map<String, Long> idsByKey = new HashMap<>();
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Set<String> paused = new TreeSet<>();
    private long nextId = 1;
    private boolean closed;

    @Override
    public String description() {
        return "in-memory store";
    }

    @Override
    public boolean isExclusive() {
        return true;
    }

    @Override
    public synchronized List<Inserted> insert(List<JobBatch> batches) {
        checkOpen();
        List<Inserted> result = new ArrayList<>(batches.size());
        for (JobBatch batch : batches) {
            long[] ids = new long[batch.size()];
            BitSet existing = new BitSet();
            for (int i = 0; i < ids.length; i++) {
                String key = batch.keyAt(i);
                Long known = key == null ? null : idsByKey.get(key);
                if (known != null) {
                    ids[i] = known;
                    existing.set(i);
                    continue;
                }
                MemoryRow row = new MemoryRow(nextId++, batch.queue(), batch.task(), batch.sessionId(),
                        batch.arguments().get(i), batch.priority(), batch.maxAttempts(), batch.backoff(), batch.timeout(),
                        key, batch.createdAt(), batch.runAt(), batch.expiresAt());
                rows.put(row.id, row);
                if (key != null) {
                    idsByKey.put(key, row.id);
                }
                enter(row);
                ids[i] = row.id;
            }
            result.add(new Inserted(ids, existing));
        }
        return result;
    }

    @Override
    public synchronized CycleResult cycle(CycleRequest request) {
        checkOpen();
        Set<Long> completed = new HashSet<>();
        for (Completion completion : request.completions()) {
            MemoryRow row = running.get(completion.jobId());
            if (row != null && request.owner().equals(row.owner) && row.attempts == completion.attempt()) {
                complete(row, completion);
                completed.add(row.id);
            }
        }
        for (ProgressUpdate update : request.progress()) {
            MemoryRow row = running.get(update.jobId());
            if (row != null && request.owner().equals(row.owner)) {
                row.progress = update.progress();
                row.message = update.message();
            }
        }
        Set<Long> renewed = null;
        if (request.renewLeases()) {
            renewed = new HashSet<>();
            for (MemoryRow row : running.values()) {
                if (request.owner().equals(row.owner)) {
                    row.leaseUntil = request.leaseUntil();
                    renewed.add(row.id);
                }
            }
        }
        List<ClaimedJob> claimed = new ArrayList<>();
        for (QueueClaim claim : request.claims()) {
            claim(claim, request, claimed);
        }
        return new CycleResult(completed, renewed, claimed);
    }

    private void complete(MemoryRow row, Completion completion) {
        row.owner = null;
        row.leaseUntil = null;
        if (completion.released()) {
            row.attempts--;
        } else {
            row.startedAt = completion.startedAt();
            row.finishedAt = completion.finishedAt();
        }
        if (completion.error() != null) {
            row.error = completion.error();
        }
        if (completion.status() == JobStatus.SUCCEEDED) {
            row.resultJson = completion.resultJson();
            row.progress = 1.0;
        }
        if (completion.runAt() != null) {
            row.runAt = completion.runAt();
        }
        move(row, completion.status());
    }

    private void claim(QueueClaim claim, CycleRequest request, List<ClaimedJob> claimed) {
        Lane lane = lanes.get(claim.queue());
        if (lane == null) {
            return;
        }
        lane.promote(request.now());
        List<MemoryRow> taken = new ArrayList<>(Math.min(claim.limit(), 1024));
        for (MemoryRow row : lane.due) {
            if (taken.size() == claim.limit()) {
                break;
            }
            boolean runnable = request.tasks().contains(row.task)
                    && (row.sessionId == null || row.sessionId.equals(request.sessionId()))
                    && (row.expiresAt == null || row.expiresAt.isAfter(request.now()));
            if (runnable) {
                taken.add(row);
            }
        }
        for (MemoryRow row : taken) {
            move(row, JobStatus.RUNNING);
            row.attempts++;
            row.owner = request.owner();
            row.leaseUntil = request.leaseUntil();
            claimed.add(new ClaimedJob(row.id, row.queue, row.task, row.argumentsJson, row.priority, row.attempts,
                    row.maxAttempts, row.backoff, row.timeout));
        }
    }

    @Override
    public synchronized List<JobTransition> recoverExpiredLeases(Instant now, JobError error) {
        checkOpen();
        List<JobTransition> changes = new ArrayList<>();
        for (MemoryRow row : new ArrayList<>(running.values())) {
            if (!row.leaseUntil.isAfter(now)) {
                changes.add(recover(row, now, error));
            }
        }
        return changes;
    }

    @Override
    public synchronized List<JobTransition> recoverAfterRestart(String sessionId, Instant now, JobError lostWorker,
                                                                JobError orphaned) {
        checkOpen();
        List<JobTransition> changes = new ArrayList<>();
        for (MemoryRow row : rows.values()) {
            if (row.sessionId != null && !row.sessionId.equals(sessionId) && !row.status.isTerminal()) {
                changes.add(change(row, JobStatus.ORPHANED, now, orphaned));
            }
        }
        for (MemoryRow row : new ArrayList<>(running.values())) {
            changes.add(recover(row, now, lostWorker));
        }
        return changes;
    }

    private JobTransition recover(MemoryRow row, Instant now, JobError error) {
        JobStatus to = row.attempts < row.maxAttempts ? JobStatus.FAILED : JobStatus.DEAD;
        if (to == JobStatus.FAILED) {
            row.runAt = now;
        }
        return change(row, to, now, error);
    }

    private JobTransition change(MemoryRow row, JobStatus to, Instant now, JobError error) {
        JobStatus from = row.status;
        row.owner = null;
        row.leaseUntil = null;
        row.finishedAt = now;
        row.error = error;
        move(row, to);
        return new JobTransition(row.id, row.queue, row.task, from, to, row.attempts, error);
    }

    @Override
    public synchronized List<JobTransition> expire(Instant now, JobError error) {
        checkOpen();
        List<JobTransition> changes = new ArrayList<>();
        while (!expiring.isEmpty() && !expiring.first().expiresAt.isAfter(now)) {
            changes.add(change(expiring.first(), JobStatus.EXPIRED, now, error));
        }
        return changes;
    }

    @Override
    public synchronized boolean transition(long jobId, JobStatus expected, JobStatus to, Instant now) {
        checkOpen();
        ManualTransition.check(expected, to);
        MemoryRow row = rows.get(jobId);
        if (row == null || row.status != expected) {
            return false;
        }
        row.owner = null;
        row.leaseUntil = null;
        if (to == JobStatus.CANCELLED) {
            row.finishedAt = now;
        } else {
            row.attempts = 0;
            row.runAt = now;
            row.startedAt = null;
            row.finishedAt = null;
            row.progress = 0;
            row.message = null;
            row.resultJson = null;
        }
        move(row, to);
        return true;
    }

    @Override
    public synchronized Optional<Job> find(long jobId) {
        checkOpen();
        return Optional.ofNullable(rows.get(jobId)).map(MemoryRow::toJob);
    }

    @Override
    public synchronized List<Job> find(JobQuery query) {
        checkOpen();
        NavigableMap<Long, MemoryRow> ordered = query.isNewestFirst() ? rows.descendingMap() : rows;
        List<Job> jobs = new ArrayList<>();
        for (MemoryRow row : ordered.values()) {
            if (jobs.size() == query.limit()) {
                break;
            }
            Job job = row.toJob();
            if (query.matches(job)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    @Override
    public synchronized List<QueueStats> stats(Instant now) {
        checkOpen();
        Set<String> names = new TreeSet<>(counts.keySet());
        names.addAll(paused);
        List<QueueStats> stats = new ArrayList<>();
        for (String queue : names) {
            long[] perStatus = counts.getOrDefault(queue, new long[JobStatus.values().length]);
            Map<JobStatus, Long> byStatus = new EnumMap<>(JobStatus.class);
            for (JobStatus status : JobStatus.values()) {
                byStatus.put(status, perStatus[status.ordinal()]);
            }
            Lane lane = lanes.get(queue);
            long scheduled = lane == null ? 0 : lane.later.stream().filter(r -> r.runAt.isAfter(now)).count();
            stats.add(new QueueStats(queue, paused.contains(queue), byStatus, scheduled));
        }
        return stats;
    }

    @Override
    public synchronized Map<String, Long> waitingCounts() {
        checkOpen();
        Map<String, Long> waiting = new HashMap<>();
        counts.forEach((queue, perStatus) ->
                waiting.put(queue, perStatus[JobStatus.PENDING.ordinal()] + perStatus[JobStatus.FAILED.ordinal()]));
        return waiting;
    }

    @Override
    public synchronized int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) {
        checkOpen();
        int deleted = 0;
        var iterator = rows.values().iterator();
        while (iterator.hasNext()) {
            MemoryRow row = iterator.next();
            if (row.status.isTerminal() && statuses.contains(row.status) && row.finishedAt != null
                    && row.finishedAt.isBefore(finishedBefore) && (queue == null || queue.equals(row.queue))) {
                iterator.remove();
                count(row.queue, row.status, -1);
                if (row.idempotencyKey != null) {
                    idsByKey.remove(row.idempotencyKey, row.id);
                }
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public synchronized void setPaused(String queue, boolean pause, Instant now) {
        checkOpen();
        if (pause) {
            paused.add(queue);
        } else {
            paused.remove(queue);
        }
    }

    @Override
    public synchronized Set<String> pausedQueues() {
        checkOpen();
        return Set.copyOf(paused);
    }

    @Override
    public synchronized void close() {
        closed = true;
        rows.clear();
        lanes.clear();
        running.clear();
        expiring.clear();
        idsByKey.clear();
        counts.clear();
    }

    /** Adds a new row in its first status. */
    private void enter(MemoryRow row) {
        count(row.queue, row.status, 1);
        if (JobStatus.WAITING.contains(row.status)) {
            join(row);
        }
    }

    /** Moves a row to {@code to}, keeping counts and indexes in step; the one place a status changes. */
    private void move(MemoryRow row, JobStatus to) {
        JobStatus from = row.status;
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("Job " + row.id + " cannot move from " + from + " to " + to);
        }
        if (JobStatus.WAITING.contains(from)) {
            Lane lane = lanes.get(row.queue);
            if (!lane.due.remove(row)) {
                lane.later.remove(row);
            }
            if (row.expiresAt != null) {
                expiring.remove(row);
            }
        }
        if (from == JobStatus.RUNNING) {
            running.remove(row.id);
        }
        count(row.queue, from, -1);
        row.status = to;
        count(row.queue, to, 1);
        if (to == JobStatus.RUNNING) {
            running.put(row.id, row);
        }
        if (JobStatus.WAITING.contains(to)) {
            join(row);
        }
    }

    private void join(MemoryRow row) {
        lanes.computeIfAbsent(row.queue, q -> new Lane()).later.add(row);
        if (row.expiresAt != null) {
            expiring.add(row);
        }
    }

    private void count(String queue, JobStatus status, int delta) {
        counts.computeIfAbsent(queue, q -> new long[JobStatus.values().length])[status.ordinal()] += delta;
    }

    private void checkOpen() {
        if (closed) {
            throw new QueueClosedException("The in-memory store");
        }
    }
}
