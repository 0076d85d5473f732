package io.queuack.storage.memory;

import io.queuack.error.QueueClosedException;
import io.queuack.job.Attempt;
import io.queuack.job.DependencyMode;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobLimit;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.Throughput;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import io.queuack.storage.JobTransition;
import io.queuack.storage.ManualTransition;
import io.queuack.storage.PlannedTask;
import io.queuack.storage.ProgressUpdate;
import io.queuack.storage.QueueClaim;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import io.queuack.storage.RunRecord;
import io.queuack.storage.RunTransition;
import io.queuack.storage.LimitGate;
import io.queuack.storage.LimitUsage;
import io.queuack.storage.ScheduleFired;
import io.queuack.storage.ScheduleFiring;
import io.queuack.storage.ScheduleRow;
import io.queuack.storage.Storage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Jobs and DAG runs in plain Java collections: the fastest store, for tests and throw-away sessions.
 * Nothing survives {@link #close()}. Every method holds the instance's monitor, so each is atomic.
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
    private final TreeMap<Long, MemoryRun> runs = new TreeMap<>();
    private final Map<String, MemoryRun> runsByKey = new HashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<Long, MemoryRow> running = new HashMap<>();
    private final TreeSet<MemoryRow> expiring = new TreeSet<>(EXPIRY_ORDER);
    private final Map<String, Long> idsByKey = new HashMap<>();
    private final Map<String, String> resultsByCacheKey = new HashMap<>();
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Set<String> paused = new TreeSet<>();
    private final MemorySchedules schedules = new MemorySchedules();
    private final MemoryLimits limits = new MemoryLimits();
    /** DAG tasks that reached a terminal status in the current operation, to settle before it returns. */
    private final Deque<MemoryRow> toSettle = new ArrayDeque<>();
    private long nextId = 1;
    private long nextRunId = 1;
    private boolean closed;

    @Override
    public String description() {
        return "in-memory store";
    }

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public boolean isExclusive() {
        return true;
    }

    // ---------------------------------------------------------------- insert

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
                        key, batch.createdAt(), batch.runAt(), batch.expiresAt(), null, null, null, batch.limitKey());
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
    public synchronized RunInserted insertRun(RunPlan plan) {
        checkOpen();
        MemoryRun known = plan.idempotencyKey() == null ? null : runsByKey.get(plan.idempotencyKey());
        if (known != null) {
            return new RunInserted(known.id, idsInPlanOrder(known, plan), true);
        }
        MemoryRow parentJob = plan.parentJobId() == null ? null : rows.get(plan.parentJobId());
        Long root = parentJob == null || parentJob.run == null ? null : parentJob.run.rootRunId;
        MemoryRun run = new MemoryRun(nextRunId++, plan.dag(), plan.parametersJson(), plan.optionsJson(),
                plan.parentJobId(), root, plan.idempotencyKey(), plan.createdAt());
        runs.put(run.id, run);
        if (run.idempotencyKey != null) {
            runsByKey.put(run.idempotencyKey, run);
        }
        List<MemoryRow> created = new ArrayList<>(plan.tasks().size());
        for (PlannedTask task : plan.tasks()) {
            MemoryRow row = new MemoryRow(nextId++, task.queue(), task.task(), null, task.argumentsJson(),
                    task.priority(), task.maxAttempts(), task.backoff(), task.timeout(), null, plan.createdAt(),
                    plan.createdAt(), null, run, task.node(), task.mode(), task.limitKey());
            row.status = task.parents().length == 0 ? JobStatus.PENDING : JobStatus.BLOCKED;
            created.add(row);
        }
        for (int i = 0; i < created.size(); i++) {
            for (int parent : plan.tasks().get(i).parents()) {
                created.get(i).parents.add(created.get(parent));
                created.get(parent).children.add(created.get(i));
            }
        }
        long[] ids = new long[created.size()];
        for (int i = 0; i < created.size(); i++) {
            MemoryRow row = created.get(i);
            run.jobs.add(row);
            run.unfinished++;
            enter(row);
            ids[i] = row.id;
        }
        if (created.isEmpty()) {
            run.status = RunStatus.SUCCEEDED;
            run.finishedAt = plan.createdAt();
        }
        return new RunInserted(run.id, ids, false);
    }

    private static long[] idsInPlanOrder(MemoryRun run, RunPlan plan) {
        Map<String, Long> byNode = new HashMap<>();
        run.jobs.forEach(row -> byNode.put(row.node, row.id));
        return plan.tasks().stream().mapToLong(task -> byNode.getOrDefault(task.node(), -1L)).toArray();
    }

    // ---------------------------------------------------------------- worker round trips

    @Override
    public synchronized CycleResult cycle(CycleRequest request) {
        checkOpen();
        for (long id : request.started()) {
            MemoryRow row = running.get(id);
            if (row != null && request.owner().equals(row.owner)) {
                row.started = true;
            }
        }
        Set<Long> completed = new HashSet<>();
        for (Completion completion : request.completions()) {
            MemoryRow row = running.get(completion.jobId());
            if (row != null && request.owner().equals(row.owner) && row.attempts == completion.attempt()) {
                complete(row, completion);
                completed.add(row.id);
            }
        }
        Changes cascaded = settle(request.now());
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
        LimitGate gate = limits.isEmpty() || request.claims().isEmpty() ? null
                : LimitGate.of(limits.all(), limits.usage(running.values(), request.now()), request.now());
        for (QueueClaim claim : request.claims()) {
            claim(claim, request, claimed, gate != null && gate.affects(claim.queue(), request) ? gate : null);
        }
        if (gate != null) {
            limits.record(gate.starts(), request.now());
        }
        return new CycleResult(completed, renewed, claimed, cascaded).heldBy(gate);
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
            if (completion.cacheKey() != null) {
                resultsByCacheKey.put(completion.cacheKey(), row.resultJson);
            }
            row.reused = completion.reused();
            if (completion.reused()) {
                row.message = Completion.REUSED_MESSAGE;
            }
        }
        if (completion.runAt() != null) {
            row.runAt = completion.runAt();
        }
        move(row, completion.status());
        row.keepIfFailed();
    }

    /** Claims from one queue, through {@code gate} when limits apply to it (else null). */
    private void claim(QueueClaim claim, CycleRequest request, List<ClaimedJob> claimed, LimitGate gate) {
        Lane lane = lanes.get(claim.queue());
        if (lane == null) {
            return;
        }
        lane.promote(request.now());
        List<MemoryRow> taken = new ArrayList<>(Math.min(claim.limit(), 1024));
        boolean leftBehind = false;
        for (MemoryRow row : lane.due) {
            if (taken.size() == claim.limit()) {
                break;
            }
            boolean runnable = request.offers(row.task)
                    && (row.sessionId == null || row.sessionId.equals(request.sessionId()))
                    && (row.expiresAt == null || row.expiresAt.isAfter(request.now()))
                    && (request.rootRunId() == null || (row.run != null && row.run.rootRunId == request.rootRunId()));
            if (runnable && gate != null && gate.queueRemaining(claim.queue()) <= 0) {
                leftBehind = true;
                break;
            }
            if (runnable && (gate == null || gate.admit(row.queue, row.task, row.limitKey))) {
                taken.add(row);
            } else if (runnable) {
                leftBehind = true;
            }
        }
        if (leftBehind && taken.size() < claim.limit()) {
            gate.held(claim.queue());
        }
        for (MemoryRow row : taken) {
            move(row, JobStatus.RUNNING);
            row.started = false;
            row.attempts++;
            row.owner = request.owner();
            row.worker = request.owner();
            row.leaseUntil = request.leaseUntil();
            claimed.add(row.toClaimed());
        }
    }

    // ---------------------------------------------------------------- recovery

    @Override
    public synchronized Changes recoverExpiredLeases(Instant now, JobError error) {
        checkOpen();
        List<JobTransition> changes = new ArrayList<>();
        for (MemoryRow row : new ArrayList<>(running.values())) {
            if (!row.leaseUntil.isAfter(now)) {
                changes.add(recover(row, now, error));
            }
        }
        return Changes.of(changes).plus(settle(now));
    }

    @Override
    public synchronized Changes recoverAfterRestart(String sessionId, Instant now, JobError lostWorker,
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
        return Changes.of(changes).plus(settle(now));
    }

    /** A lost attempt: given back if it never started, else FAILED or DEAD with {@code error}. */
    private JobTransition recover(MemoryRow row, Instant now, JobError error) {
        if (!row.started) {
            row.unstartedLosses++;
            row.owner = null;
            row.leaseUntil = null;
            row.runAt = now;
            row.attempts--;
            move(row, row.attempts == 0 ? JobStatus.PENDING : JobStatus.FAILED);
            return new JobTransition(row.id, row.queue, row.task, JobStatus.RUNNING, row.status, row.attempts, error);
        }
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
        row.keepIfFailed();
        return transition(row, from);
    }

    private static JobTransition transition(MemoryRow row, JobStatus from) {
        return new JobTransition(row.id, row.queue, row.task, from, row.status, row.attempts, row.error);
    }

    @Override
    public synchronized Changes expire(Instant now, JobError error) {
        checkOpen();
        List<JobTransition> changes = new ArrayList<>();
        while (!expiring.isEmpty() && !expiring.first().expiresAt.isAfter(now)) {
            changes.add(change(expiring.first(), JobStatus.EXPIRED, now, error));
        }
        return Changes.of(changes).plus(settle(now));
    }

    // ---------------------------------------------------------------- cancel and retry

    @Override
    public synchronized Changes transition(long jobId, JobStatus expected, JobStatus to, Instant now) {
        checkOpen();
        ManualTransition.check(expected, to);
        MemoryRow row = rows.get(jobId);
        if (row == null || row.status != expected) {
            return Changes.NONE;
        }
        row.owner = null;
        row.leaseUntil = null;
        if (to == JobStatus.CANCELLED) {
            row.finishedAt = now;
            move(row, to);
            return Changes.of(List.of(transition(row, expected))).plus(settle(now));
        }
        row.attempts = 0;
        row.runAt = now;
        row.startedAt = null;
        row.finishedAt = null;
        row.progress = 0;
        row.message = null;
        row.resultJson = null;
        // a DAG task with upstream tasks waits for them again: it runs only once they allow it
        move(row, row.parents.isEmpty() ? to : JobStatus.BLOCKED);
        List<RunTransition> reopened = new ArrayList<>();
        if (row.run != null && row.run.status == RunStatus.FAILED) {
            row.run.status = RunStatus.RUNNING;
            row.run.finishedAt = null;
            reopened.add(new RunTransition(row.run.id, row.run.dag, RunStatus.FAILED, RunStatus.RUNNING));
        }
        List<JobTransition> changes = new ArrayList<>();
        changes.add(transition(row, expected));
        if (row.status == JobStatus.BLOCKED) {
            changes.addAll(evaluate(row, now));
        }
        changes.addAll(unskipDownstream(row, now));
        return new Changes(changes, reopened);
    }

    /** Puts the SKIPPED tasks downstream of a retried task back to BLOCKED, then re-evaluates them. */
    private List<JobTransition> unskipDownstream(MemoryRow retried, Instant now) {
        List<JobTransition> changes = new ArrayList<>();
        Set<MemoryRow> reset = new LinkedHashSet<>();
        Deque<MemoryRow> todo = new ArrayDeque<>(retried.children);
        while (!todo.isEmpty()) {
            MemoryRow row = todo.poll();
            if (row.status == JobStatus.SKIPPED && reset.add(row)) {
                row.finishedAt = null;
                row.error = null;
                move(row, JobStatus.BLOCKED);
                changes.add(transition(row, JobStatus.SKIPPED));
                todo.addAll(row.children);
            }
        }
        for (MemoryRow row : reset) {
            if (row.status == JobStatus.BLOCKED) {
                changes.addAll(evaluate(row, now));
            }
        }
        changes.addAll(settle(now).jobs());
        return changes;
    }

    @Override
    public synchronized Changes cancelRun(long rootRunId, Instant now) {
        checkOpen();
        List<JobTransition> jobs = new ArrayList<>();
        List<RunTransition> cancelledRuns = new ArrayList<>();
        for (MemoryRun run : runs.values()) {
            if (run.rootRunId != rootRunId) {
                continue;
            }
            for (MemoryRow row : run.jobs) {
                if (JobStatus.CANCELLABLE.contains(row.status)) {
                    JobStatus from = row.status;
                    row.owner = null;
                    row.leaseUntil = null;
                    row.finishedAt = now;
                    move(row, JobStatus.CANCELLED);
                    jobs.add(transition(row, from));
                }
            }
            if (run.status == RunStatus.RUNNING) {
                run.status = RunStatus.CANCELLED;
                run.finishedAt = now;
                cancelledRuns.add(new RunTransition(run.id, run.dag, RunStatus.RUNNING, RunStatus.CANCELLED));
            }
        }
        toSettle.clear();
        return new Changes(jobs, cancelledRuns);
    }

    // ---------------------------------------------------------------- DAG settlement

    /**
     * Settles the runs of the DAG tasks that finished in this operation: downstream tasks are unblocked
     * or skipped (transitively), and runs whose tasks have all finished get their final status.
     */
    private Changes settle(Instant now) {
        if (toSettle.isEmpty()) {
            return Changes.NONE;
        }
        List<JobTransition> jobs = new ArrayList<>();
        Set<MemoryRun> touched = new LinkedHashSet<>();
        while (!toSettle.isEmpty()) {
            MemoryRow finished = toSettle.poll();
            touched.add(finished.run);
            for (MemoryRow child : finished.children) {
                if (child.status == JobStatus.BLOCKED) {
                    jobs.addAll(evaluate(child, now));
                }
            }
        }
        List<RunTransition> runChanges = new ArrayList<>();
        for (MemoryRun run : touched) {
            if (run.status == RunStatus.RUNNING && run.unfinished == 0) {
                run.status = run.lost > 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
                run.finishedAt = now;
                runChanges.add(new RunTransition(run.id, run.dag, RunStatus.RUNNING, run.status));
            }
        }
        return new Changes(jobs, runChanges);
    }

    /** Unblocks or skips a BLOCKED task according to its upstream tasks; a skip is settled in turn. */
    private List<JobTransition> evaluate(MemoryRow row, Instant now) {
        int succeeded = 0;
        int ended = 0;
        MemoryRow firstEnded = null;
        for (MemoryRow parent : row.parents) {
            if (parent.status == JobStatus.SUCCEEDED) {
                succeeded++;
            } else if (parent.status.isTerminal()) {
                ended++;
                firstEnded = firstEnded == null ? parent : firstEnded;
            }
        }
        int all = row.parents.size();
        boolean any = row.mode == DependencyMode.ANY;
        if (any ? succeeded > 0 : succeeded == all) {
            row.runAt = now;
            move(row, JobStatus.PENDING);
            return List.of(transition(row, JobStatus.BLOCKED));
        }
        if (any ? ended == all : ended > 0) {
            row.finishedAt = now;
            row.error = skipReason(any, firstEnded);
            move(row, JobStatus.SKIPPED);
            return List.of(transition(row, JobStatus.BLOCKED));
        }
        return List.of();
    }

    /** @return why a task is skipped: its first upstream task that ended without success */
    static JobError skipReason(boolean anyMode, MemoryRow upstream) {
        return JobError.of("io.queuack.Skipped", anyMode
                ? "none of its upstream tasks succeeded"
                : "upstream task '" + upstream.node + "' ended " + upstream.status);
    }

    // ---------------------------------------------------------------- reading

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
    public synchronized List<Attempt> attempts(long jobId) {
        checkOpen();
        MemoryRow row = rows.get(jobId);
        return row == null ? List.of() : List.copyOf(row.failedAttempts);
    }

    @Override
    public synchronized Optional<RunRecord> findRun(long runId) {
        checkOpen();
        return Optional.ofNullable(runs.get(runId)).map(MemoryRun::toRecord);
    }

    @Override
    public synchronized List<RunRecord> findRuns(String dag, int limit) {
        checkOpen();
        List<RunRecord> found = new ArrayList<>();
        for (MemoryRun run : runs.descendingMap().values()) {
            if (found.size() == limit) {
                break;
            }
            if (dag == null || dag.equals(run.dag)) {
                found.add(run.toRecord());
            }
        }
        return found;
    }

    @Override
    public synchronized List<RunRecord> childRuns(long runId) {
        checkOpen();
        List<RunRecord> children = new ArrayList<>();
        for (MemoryRun run : runs.values()) {
            MemoryRow parent = run.parentJobId == null ? null : rows.get(run.parentJobId);
            if (parent != null && parent.run != null && parent.run.id == runId) {
                children.add(run.toRecord());
            }
        }
        return children;
    }

    @Override
    public synchronized List<Job> runJobs(long runId) {
        checkOpen();
        MemoryRun run = runs.get(runId);
        return run == null ? List.of() : run.jobs.stream().map(MemoryRow::toJob).toList();
    }

    @Override
    public synchronized List<long[]> runDependencies(long runId) {
        checkOpen();
        MemoryRun run = runs.get(runId);
        List<long[]> pairs = new ArrayList<>();
        if (run != null) {
            for (MemoryRow child : run.jobs) {
                child.parents.forEach(parent -> pairs.add(new long[] {child.id, parent.id}));
            }
        }
        return pairs;
    }

    @Override
    public synchronized List<Job> upstreamJobs(long jobId) {
        checkOpen();
        MemoryRow row = rows.get(jobId);
        return row == null ? List.of() : row.parents.stream().sorted(Comparator.comparingLong(r -> r.id))
                .map(MemoryRow::toJob).toList();
    }

    @Override
    public synchronized Optional<String> cachedResult(String cacheKey) {
        checkOpen();
        return Optional.ofNullable(resultsByCacheKey.get(cacheKey));
    }

    @Override
    public synchronized List<Throughput> throughput(Instant since) {
        checkOpen();
        Map<String, long[]> perMinute = new TreeMap<>();
        for (MemoryRow row : rows.values()) {
            boolean succeeded = row.status == JobStatus.SUCCEEDED;
            if (row.finishedAt != null && !row.finishedAt.isBefore(since)
                    && (succeeded || row.status == JobStatus.FAILED || row.status == JobStatus.DEAD)) {
                Instant minute = row.finishedAt.truncatedTo(ChronoUnit.MINUTES);
                long[] counts = perMinute.computeIfAbsent(minute + " " + row.queue, key -> new long[2]);
                counts[succeeded ? 0 : 1]++;
            }
        }
        List<Throughput> rows = new ArrayList<>();
        perMinute.forEach((key, counts) -> {
            int space = key.indexOf(' ');
            rows.add(new Throughput(key.substring(space + 1), Instant.parse(key.substring(0, space)), counts[0], counts[1]));
        });
        return rows;
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

    // ---------------------------------------------------------------- purge and pause

    @Override
    public synchronized int purge(Set<JobStatus> statuses, Instant finishedBefore, String queue) {
        checkOpen();
        int deleted = 0;
        var iterator = rows.values().iterator();
        while (iterator.hasNext()) {
            MemoryRow row = iterator.next();
            boolean runOver = row.run == null || row.run.status.isFinished();
            if (runOver && row.status.isTerminal() && statuses.contains(row.status) && row.finishedAt != null
                    && row.finishedAt.isBefore(finishedBefore) && (queue == null || queue.equals(row.queue))) {
                iterator.remove();
                forget(row);
                deleted++;
            }
        }
        return deleted;
    }

    private void forget(MemoryRow row) {
        count(row.queue, row.status, -1);
        if (row.idempotencyKey != null) {
            idsByKey.remove(row.idempotencyKey, row.id);
        }
        if (row.run != null) {
            row.run.jobs.remove(row);
            row.parents.forEach(parent -> parent.children.remove(row));
            row.children.forEach(child -> child.parents.remove(row));
            if (row.run.jobs.isEmpty()) {
                runs.remove(row.run.id);
                if (row.run.idempotencyKey != null) {
                    runsByKey.remove(row.run.idempotencyKey, row.run);
                }
            }
        }
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
    public synchronized boolean putSchedule(ScheduleRow row, long expectedVersion) {
        checkOpen();
        return schedules.put(row, expectedVersion);
    }

    @Override
    public synchronized boolean deleteSchedule(String name) {
        checkOpen();
        return schedules.delete(name);
    }

    @Override
    public synchronized Optional<ScheduleRow> schedule(String name) {
        checkOpen();
        return schedules.get(name);
    }

    @Override
    public synchronized List<ScheduleRow> schedules() {
        checkOpen();
        return schedules.all();
    }

    @Override
    public synchronized List<ScheduleRow> dueSchedules(Instant now, Set<String> dags, int limit) {
        checkOpen();
        return schedules.due(now, dags, limit);
    }

    @Override
    public synchronized Optional<Instant> nextFireTime(Set<String> dags) {
        checkOpen();
        return schedules.next(dags);
    }

    @Override
    public synchronized List<Optional<ScheduleFired>> fireSchedules(List<ScheduleFiring> firings) {
        checkOpen();
        List<Optional<ScheduleFired>> fired = new ArrayList<>(firings.size());
        for (ScheduleFiring firing : firings) {
            if (!schedules.has(firing.row().name(), firing.expectedVersion())) {
                fired.add(Optional.empty());
                continue;
            }
            List<Inserted> jobs = insert(firing.jobs());
            List<RunInserted> inserted = new ArrayList<>();
            firing.runs().forEach(plan -> inserted.add(insertRun(plan)));
            schedules.put(firing.row(), firing.expectedVersion());
            fired.add(Optional.of(new ScheduleFired(jobs, inserted)));
        }
        return fired;
    }

    @Override
    public synchronized void putLimit(JobLimit limit, Instant now) {
        checkOpen();
        limits.put(limit);
    }

    @Override
    public synchronized boolean deleteLimit(JobLimit.Scope scope, String name) {
        checkOpen();
        return limits.delete(scope, name);
    }

    @Override
    public synchronized List<JobLimit> limits() {
        checkOpen();
        return limits.all();
    }

    @Override
    public synchronized LimitUsage limitUsage(Instant now) {
        checkOpen();
        return limits.usage(running.values(), now);
    }

    @Override
    public synchronized void close() {
        closed = true;
        rows.clear();
        runs.clear();
        runsByKey.clear();
        lanes.clear();
        running.clear();
        expiring.clear();
        idsByKey.clear();
        resultsByCacheKey.clear();
        counts.clear();
    }

    // ---------------------------------------------------------------- the one place statuses change

    /** Adds a new row in its first status. */
    private void enter(MemoryRow row) {
        rows.put(row.id, row);
        count(row.queue, row.status, 1);
        if (JobStatus.WAITING.contains(row.status)) {
            join(row);
        }
    }

    /** Moves a row to {@code to}, keeping counts, indexes and run counters in step. */
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
        if (row.run != null) {
            countInRun(row.run, from, to);
            if (!from.isTerminal() && to.isTerminal()) {
                toSettle.add(row);
            }
        }
    }

    private static void countInRun(MemoryRun run, JobStatus from, JobStatus to) {
        run.unfinished += (from.isTerminal() ? 1 : 0) - (to.isTerminal() ? 1 : 0);
        run.lost += (JobStatus.LOST.contains(to) ? 1 : 0) - (JobStatus.LOST.contains(from) ? 1 : 0);
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
            throw new QueueClosedException("The in-memory store", false);
        }
    }
}
