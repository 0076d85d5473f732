package io.queuack;

import io.queuack.error.NonRetryableException;
import io.queuack.error.QueueClosedException;
import io.queuack.event.JobEvent;
import io.queuack.event.RoundTripEvent;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.WorkerInfo;
import io.queuack.storage.Changes;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.CycleRequest;
import io.queuack.storage.CycleResult;
import io.queuack.storage.ProgressUpdate;
import io.queuack.storage.QueueClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread of a worker pool that talks to storage. Each turn of its loop is one transaction
 * that stores the outcomes finished since the last turn (group commit), saves progress, renews the
 * pool's leases when due, and claims as many jobs as the pool has room for; claimed jobs go to a
 * priority buffer that the worker threads take from. Once a second it also recovers jobs whose
 * lease expired and expires jobs past their time-to-live.
 */
final class Dispatcher implements Runnable, Wakeup, AttemptHost {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROGRESS_SAVE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STORAGE_RETRY_WAIT = Duration.ofSeconds(1);
    /** The longest a started job's start waits to be stored, when no other work brings a round trip sooner. */
    private static final Duration DEFERRED_STARTS_WAIT = Duration.ofMillis(20);
    private static final JobError LEASE_EXPIRED = JobError.of("io.queuack.LeaseExpired", "the worker pool that claimed"
            + " this job stopped renewing its lease (it crashed, hung or was closed without draining); the job runs"
            + " again while attempts remain");
    private static final JobError TIME_TO_LIVE_PASSED =
            JobError.of("io.queuack.Expired", "its time-to-live passed before it could start");
    private static final Comparator<Execution> START_ORDER = Comparator
            .comparingInt((Execution e) -> -e.job().priority()).thenComparingLong(e -> e.job().id());

    /** An outcome waiting to be stored. */
    private record Finished(Execution execution, Completion completion) {
    }

    /**
     * @return how long the finished jobs that held a thread ran, on average, by the queue's clock (0 if none did;
     *         a sub-DAG or an async task waits without one)
     */
    private static double meanRunSeconds(List<Finished> done) {
        long nanos = 0;
        int ran = 0;
        for (Finished item : done) {
            Completion completion = item.completion();
            if (completion.startedAt() != null && !completion.released() && !item.execution().ranAsync()) {
                nanos += Duration.between(completion.startedAt(), completion.finishedAt()).toNanos();
                ran++;
            }
        }
        return ran == 0 ? 0 : nanos / 1e9 / ran;
    }

    private enum State { RUNNING, DRAINING, STOPPED }

    private final Engine engine;
    private final PoolSettings settings;
    private final ClaimPlanner planner;
    private final ScheduledExecutorService timeouts;
    private final Runnable replaceWorker;
    private final Map<Long, Execution> held = new ConcurrentHashMap<>();
    private final PriorityBlockingQueue<Execution> buffer = new PriorityBlockingQueue<>(64, START_ORDER);
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Execution> unstoredStarts = new ConcurrentLinkedQueue<>();
    /** Whether starts arrived since the last turn took them: the first one rings, the others need not. */
    private final AtomicBoolean startsWaiting = new AtomicBoolean();
    /** Starts seen on the last round trip, stored on the next if their jobs still run (dispatcher thread only). */
    private List<Execution> deferredStarts = new ArrayList<>();
    private final PoolSignals signals = new PoolSignals();
    private final AtomicInteger asyncWaiting = new AtomicInteger();
    /** Whether the last claims left due jobs that a full limit held back (the planner holds those queues). */
    private volatile boolean heldBack;
    /** Set when running jobs ended elsewhere in the process while queues were held back; taken by the next turn. */
    private final AtomicBoolean placesFreed = new AtomicBoolean();
    private volatile State state = State.RUNNING;
    private Set<String> paused = Set.of();
    private Instant nextMaintenance = Instant.MIN;
    private Instant nextHeartbeat = Instant.MIN;
    private Instant nextProgressSave = Instant.MIN;
    private Instant nextPoll = Instant.MIN;
    private Instant nextStartsStore = Instant.MIN;
    private Instant retryAfter = Instant.MIN;
    private long lastRoundTripNanos = System.nanoTime();
    private final Instant startedAt;
    private String lastRefusal = "";

    Dispatcher(Engine engine, PoolSettings settings, ScheduledExecutorService timeouts, Runnable replaceWorker) {
        this.engine = engine;
        this.settings = settings;
        this.timeouts = timeouts;
        this.replaceWorker = replaceWorker;
        this.planner = new ClaimPlanner(settings.weights(), settings.concurrency(), settings.maxClaimBatch(),
                settings.rootRunId() != null);
        this.startedAt = engine.now();
    }

    @Override
    public void run() {
        try {
            while (state != State.STOPPED) {
                awaitWork();
                turnSafely();
            }
            storeFinished();
            heartbeat(engine.now());
        } catch (QueueClosedException e) {
            LOG.log(System.Logger.Level.DEBUG, "Worker pool " + settings.id() + " stopped: the queue was closed");
        } finally {
            state = State.STOPPED;
            signals.settle(false);
        }
    }

    /** One turn; an unexpected error is logged and the loop goes on after a pause: this thread must not end. */
    private void turnSafely() {
        try {
            turn();
        } catch (QueueClosedException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            retryAfter = engine.now().plus(STORAGE_RETRY_WAIT);
            LOG.log(System.Logger.Level.ERROR, "Worker pool " + settings.id() + " hit an unexpected error in its"
                    + " dispatcher; it goes on in " + STORAGE_RETRY_WAIT.toSeconds() + " s", e);
        }
    }

    // ---------------------------------------------------------------- called by other threads

    /** A worker takes the next job to run, waiting up to {@code timeoutMillis}. */
    Execution take(long timeoutMillis) throws InterruptedException {
        return buffer.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void asyncStarted() {
        asyncWaiting.incrementAndGet();
        signals.ring();
    }

    @Override
    public void asyncEnded() {
        asyncWaiting.decrementAndGet();
    }

    /** Puts an execution that its run's gate held back into the buffer again. */
    @Override
    public void requeue(Execution execution) {
        buffer.add(execution);
    }

    /**
     * A worker starts a job: its start is stored if it still runs two round trips later (most short jobs have
     * ended by then, and their outcome says enough), or on the next round trip when the job must have its
     * start stored before it runs ({@link ClaimedJob#storeStartFirst()}).
     */
    @Override
    public void started(Execution execution) {
        unstoredStarts.add(execution);
        if (execution.job().storeStartFirst() || startsWaiting.compareAndSet(false, true)) {
            signals.ring();
        }
    }

    @Override
    public void finished(Execution execution, Completion completion) {
        finished.add(new Finished(execution, completion));
        signals.ring();
    }

    @Override
    public Runnable scheduleTimeout(Execution execution) {
        Duration timeout = execution.job().timeout();
        if (timeout == null) {
            return () -> { };
        }
        ScheduledFuture<?> future = timeouts.schedule(execution::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void replaceWorker() {
        replaceWorker.run();
    }

    @Override
    public void jobsAdded(String queue, Instant runAt) {
        if (!planner.listensTo(queue)) {
            return;
        }
        if (runAt.isAfter(engine.now())) {
            signals.jobsDueAt(runAt);
        } else {
            signals.jobsDue(queue);
        }
    }

    @Override
    public void placesFreed() {
        if (heldBack && placesFreed.compareAndSet(false, true)) {
            signals.ring();
        }
    }

    @Override
    public void pausedChanged() {
        signals.pausedChanged();
    }

    /** Stops claiming; outcomes keep being stored. */
    void drain() {
        if (state == State.RUNNING) {
            state = State.DRAINING;
        }
        signals.ring();
    }

    /** Gives back every claimed job no worker has started. */
    void releaseBuffered() {
        for (Execution execution = buffer.poll(); execution != null; execution = buffer.poll()) {
            execution.releaseIfUnstarted();
        }
    }

    List<Execution> heldExecutions() {
        return List.copyOf(held.values());
    }

    /** Stores what finished and ends the loop. */
    void stop() {
        state = State.STOPPED;
        signals.ring();
    }

    /** Waits until the pool holds no job, or the timeout passes. @return whether it holds none */
    boolean awaitEmpty(Duration timeout) {
        return signals.awaitSettled(timeout, () -> held.isEmpty() && finished.isEmpty(), () -> state == State.STOPPED);
    }

    /** Waits until the pool holds no job and its queues have no due job. @return whether that happened */
    boolean awaitIdle(Duration timeout) {
        return signals.awaitSettled(timeout, signals::isIdle, () -> state == State.STOPPED);
    }

    // ---------------------------------------------------------------- the loop

    private void awaitWork() {
        try {
            signals.awaitRing(this::nanosUntilNextDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = State.STOPPED;
        }
    }

    private long nanosUntilNextDeadline() {
        if (state == State.STOPPED) {
            return 0;
        }
        Instant now = engine.now();
        if (now.isBefore(retryAfter)) {
            return Duration.between(now, retryAfter).toNanos();
        }
        if (state == State.RUNNING && held.size() - asyncWaiting.get() < planner.limit() && !planner.isDrained(paused)) {
            return 0;
        }
        Instant next = nextPoll;
        if (state == State.RUNNING) {
            next = earliest(next, nextMaintenance);
            next = earliest(next, signals.wakeAt());
        }
        if (!held.isEmpty()) {
            next = earliest(next, nextHeartbeat);
            next = earliest(next, nextProgressSave);
        }
        if (!deferredStarts.isEmpty()) {
            next = earliest(next, nextStartsStore);
        }
        long nanos = now.isBefore(next) ? Duration.between(now, next).toNanos() : 0;
        return Math.min(nanos, settings.pollInterval().toNanos());
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void turn() {
        Instant now = engine.now();
        if (now.isBefore(retryAfter)) {
            return;
        }
        takeHints(now);
        List<Finished> done = drain(finished);
        List<Execution> starts = startsToStore(done);
        if (!deferredStarts.isEmpty()) {
            nextStartsStore = now.plus(DEFERRED_STARTS_WAIT);
        }
        boolean renew = !held.isEmpty() && !now.isBefore(nextHeartbeat);
        List<ProgressUpdate> progress = now.isBefore(nextProgressSave) ? List.of() : unsavedProgress(now);
        // Storing finished DAG tasks unblocks their downstream tasks in the same transaction: claim them there.
        if (done.stream().anyMatch(item -> item.execution().job().runId() != null)) {
            planner.markReady(null);
        } else if (!done.isEmpty() || placesFreed.getAndSet(false)) {
            planner.releaseHeld();
        }
        int holdingThreads = held.size() - done.size() - asyncWaiting.get();
        List<QueueClaim> claims = state == State.RUNNING ? planner.plan(holdingThreads, paused) : List.of();
        if (!done.isEmpty() || !starts.isEmpty() || renew || !progress.isEmpty() || !claims.isEmpty()) {
            CycleResult result;
            RoundTripEvent trip = null;
            long started = System.nanoTime();
            try {
                result = engine.storage().cycle(CycleRequest.of(settings.id(), engine.sessionId(), now)
                        .leaseUntil(now.plus(settings.visibilityTimeout()))
                        .started(starts.stream().map(Execution::jobId).toList())
                        .completions(completions(done))
                        .progress(progress)
                        .renewLeases(renew)
                        .claims(claims, engine.registry().names(), engine.registry().dagNames())
                        .rootRunId(settings.rootRunId())
                        .build());
                starts.forEach(Execution::startStored);
                long took = System.nanoTime() - started;
                planner.observe(done.size(), started - lastRoundTripNanos, took, meanRunSeconds(done));
                lastRoundTripNanos = started;
                if (engine.events().hasListeners()) {
                    trip = new RoundTripEvent(RoundTripEvent.CYCLE, Duration.ofNanos(took),
                            done.size() + result.claimed().size(), now);
                }
            } catch (QueueClosedException e) {
                throw e;
            } catch (RuntimeException e) {
                deferredStarts.addAll(starts);
                boolean stored = storeApart(done, now);
                retryAfter = now.plus(STORAGE_RETRY_WAIT);
                LOG.log(System.Logger.Level.WARNING, "Worker pool " + settings.id() + (stored
                        ? " stored its outcomes but could not claim" : " could not reach storage") + "; it tries again"
                        + " in " + STORAGE_RETRY_WAIT.toSeconds() + " s" + (stored ? "" : " (outcomes are kept)"), e);
                return;
            }
            apply(done, result, claims, renew, now, trip);
        }
        if (state == State.RUNNING && !now.isBefore(nextMaintenance)) {
            maintain(now);
        }
        updateIdle();
    }

    /**
     * After a failed round trip: stores the outcomes without claims, halving the batch until the one storage
     * refuses is alone; that one is stored as DEAD with storage's reason, so one job's outcome never holds back
     * the others. Outcomes that could not be stored because storage is down are kept for the next turn.
     *
     * @return true if every outcome was stored (or there were none), false if storage seems down
     */
    private boolean storeApart(List<Finished> done, Instant now) {
        List<Finished> kept = new ArrayList<>();
        boolean stored = done.isEmpty() || storeApart(done, now, kept);
        finished.addAll(kept);
        return stored && kept.isEmpty();
    }

    private boolean storeApart(List<Finished> part, Instant now, List<Finished> kept) {
        if (tryStore(part, now)) {
            return true;
        }
        if (part.size() > 1) {
            int half = part.size() / 2;
            if (!storeApart(part.subList(0, half), now, kept)) {
                kept.addAll(part.subList(half, part.size()));
                return false;
            }
            return storeApart(part.subList(half, part.size()), now, kept);
        }
        Finished refused = part.get(0);
        Completion original = refused.completion();
        Finished dead = new Finished(refused.execution(), Completion.dead(original.jobId(), original.attempt(),
                original.startedAt(), now, JobError.of("io.queuack.OutcomeNotStored", "storage refused to store this"
                        + " attempt's outcome (" + original.status() + "): " + lastRefusal)));
        if (!tryStore(List.of(dead), now)) {
            kept.add(refused);
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "Worker pool " + settings.id() + ": storage refused the outcome of job "
                + original.jobId() + " (" + lastRefusal + "); it is stored as DEAD with that reason");
        return true;
    }

    /** Stores outcomes alone (no claims, progress or renewal). @return false if storage refused them */
    private boolean tryStore(List<Finished> part, Instant now) {
        try {
            CycleResult result = engine.storage().cycle(CycleRequest.of(settings.id(), engine.sessionId(), now)
                    .completions(completions(part)).rootRunId(settings.rootRunId()).build());
            apply(part, result, List.of(), false, now, null);
            return true;
        } catch (QueueClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            lastRefusal = String.valueOf(e.getMessage());
            return false;
        }
    }

    private void takeHints(Instant now) {
        PoolSignals.Hints hints = signals.take(now);
        if (hints.allQueues() || !now.isBefore(nextPoll)) {
            planner.markReady(null);
        }
        hints.queues().forEach(planner::markReady);
        if (!now.isBefore(nextPoll)) {
            nextPoll = now.plus(settings.pollInterval());
        }
        if (hints.pausedChanged()) {
            paused = engine.storage().pausedQueues();
        }
    }

    /**
     * @return the starts to store now: those that waited a round trip (or must not wait), less those whose
     *         outcome is stored in the same round trip
     */
    private List<Execution> startsToStore(List<Finished> done) {
        List<Execution> starts = deferredStarts;
        deferredStarts = new ArrayList<>();
        startsWaiting.set(false);
        for (Execution execution : drain(unstoredStarts)) {
            (execution.job().storeStartFirst() ? starts : deferredStarts).add(execution);
        }
        if (!done.isEmpty() && (!starts.isEmpty() || !deferredStarts.isEmpty())) {
            Set<Execution> ended = new HashSet<>();
            done.forEach(item -> ended.add(item.execution()));
            starts.removeIf(ended::contains);
            deferredStarts.removeIf(ended::contains);
        }
        return starts;
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
        List<T> items = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            items.add(item);
        }
        return items;
    }

    private static List<Completion> completions(List<Finished> done) {
        List<Completion> completions = new ArrayList<>(done.size());
        done.forEach(item -> completions.add(item.completion()));
        return completions;
    }

    private List<ProgressUpdate> unsavedProgress(Instant now) {
        nextProgressSave = now.plus(PROGRESS_SAVE_INTERVAL);
        List<ProgressUpdate> updates = new ArrayList<>();
        for (Execution execution : held.values()) {
            ProgressUpdate unsaved = execution.takeUnsavedProgress();
            if (unsaved != null) {
                updates.add(unsaved);
            }
        }
        return updates;
    }

    /** Takes in what a round trip stored and claimed; {@code trip} (or null) is told to listeners with its events. */
    private void apply(List<Finished> done, CycleResult result, List<QueueClaim> claims, boolean renewed, Instant now,
                       RoundTripEvent trip) {
        List<JobEvent> events = engine.events().hasListeners() ? new ArrayList<>() : null;
        for (Finished item : done) {
            ClaimedJob job = item.execution().job();
            Completion completion = item.completion();
            forget(item.execution());
            if (!result.completed().contains(job.id())) {
                LOG.log(System.Logger.Level.DEBUG, "The outcome of job " + job.id() + " was not stored: it was"
                        + " cancelled or recovered while it ran");
                continue;
            }
            if (events != null) {
                events.add(new JobEvent(job.id(), job.queue(), job.task(), JobStatus.RUNNING, completion.status(),
                        completion.released() ? job.attempt() - 1 : job.attempt(), completion.finishedAt(),
                        completion.error(), completion.startedAt()));
            }
            if (completion.status() == JobStatus.FAILED && completion.runAt().isAfter(now)) {
                signals.jobsDueAt(completion.runAt());
            } else if (JobStatus.WAITING.contains(completion.status())) {
                planner.markReady(job.queue());
            }
        }
        if (renewed) {
            nextHeartbeat = now.plus(settings.visibilityTimeout().dividedBy(3));
            for (Execution execution : held.values()) {
                if (!result.renewed().contains(execution.jobId()) && forget(execution)) {
                    LOG.log(System.Logger.Level.WARNING, "Worker pool " + settings.id() + " lost the lease of job "
                            + execution.jobId() + "; stopping it there");
                    execution.leaseLost();
                }
            }
        }
        planner.claimed(claims, result.claimed(), result.held());
        heldBack = planner.holdsBack();
        if (!result.completed().isEmpty()) {
            engine.placesFreed();
        }
        if (result.limitFree() != null) {
            signals.jobsDueAt(result.limitFree());
        }
        for (ClaimedJob job : result.claimed()) {
            Execution execution = new Execution(job, registered(job), engine, this);
            held.put(job.id(), execution);
            engine.held().hold(execution);
            buffer.add(execution);
            if (events != null) {
                events.add(new JobEvent(job.id(), job.queue(), job.task(),
                        job.attempt() == 1 ? JobStatus.PENDING : JobStatus.FAILED, JobStatus.RUNNING, job.attempt(),
                        now, null, job.dueAt()));
            }
        }
        if (!result.claimed().isEmpty() && held.size() == result.claimed().size()) {
            nextHeartbeat = now.plus(settings.visibilityTimeout().dividedBy(3));
        }
        if (events != null) {
            engine.events().cycled(events, trip);
        }
        engine.announce(result.cascaded(), now);
    }

    /**
     * @return the code of a claimed job; a DAG task that its DAG, registered again since, no longer defines
     *         fails at once with a message that says so
     */
    private TaskRegistry.Registered registered(ClaimedJob job) {
        TaskRegistry.Registered task = engine.registry().find(job.task());
        if (task != null) {
            return task;
        }
        return new TaskRegistry.Registered(job.task(), false, (context, json) -> {
            throw new NonRetryableException("Task '" + job.task() + "' is not defined any more: its DAG was registered"
                    + " again without it. Register the DAG definition that this run was submitted with to finish it.");
        });
    }

    /** Stops tracking an execution (its outcome was handled, or its lease was lost). @return whether it was held */
    private boolean forget(Execution execution) {
        engine.held().release(execution);
        return held.remove(execution.jobId(), execution);
    }

    private void maintain(Instant now) {
        nextMaintenance = now.plus(MAINTENANCE_INTERVAL);
        try {
            Changes changes = engine.storage().recoverExpiredLeases(now, LEASE_EXPIRED)
                    .plus(engine.storage().expire(now, TIME_TO_LIVE_PASSED));
            paused = engine.storage().pausedQueues();
            engine.announce(changes, now);
            if (!engine.storage().isExclusive()) {
                engine.runs().recheck();
                heartbeat(null);
            }
        } catch (QueueClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Worker pool " + settings.id() + " could not run its periodic"
                    + " recovery; it tries again in " + MAINTENANCE_INTERVAL.toSeconds() + " s", e);
        }
    }

    /** @return what the registry of pools shows about this one; {@code stoppedAt} null while it runs */
    WorkerInfo info(Instant stoppedAt) {
        String[] parts = settings.id().split(":");
        String host = parts.length >= 4 ? String.join(":", Arrays.copyOf(parts, parts.length - 3))
                : settings.id();
        long pid = parts.length >= 4 ? Long.parseLong(parts[parts.length - 3]) : ProcessHandle.current().pid();
        StringBuilder queues = new StringBuilder();
        settings.weights().forEach((queue, weight) -> queues.append(queues.isEmpty() ? "" : ", ").append(queue)
                .append('×').append(weight));
        return new WorkerInfo(settings.id(), host, pid, queues.toString(), settings.concurrency(), startedAt,
                stoppedAt == null ? engine.now() : stoppedAt, stoppedAt, stoppedAt == null ? held.size() : 0);
    }

    /** Tells a shared store this pool lives (or, with {@code stoppedAt}, that it stopped). */
    private void heartbeat(Instant stoppedAt) {
        if (engine.storage().isExclusive()) {
            return;
        }
        try {
            engine.storage().heartbeat(info(stoppedAt));
        } catch (QueueClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Worker pool " + settings.id() + " could not store its heartbeat", e);
        }
    }

    private void updateIdle() {
        signals.settle(state == State.RUNNING && held.isEmpty() && finished.isEmpty() && planner.isIdle(paused));
    }

    private void storeFinished() {
        List<Finished> done = drain(finished);
        if (done.isEmpty()) {
            return;
        }
        if (!storeApart(done, engine.now())) {
            LOG.log(System.Logger.Level.ERROR, "Worker pool " + settings.id() + " stopped without storing "
                    + finished.size() + " outcomes: storage refused them (" + lastRefusal + "). Those jobs run again"
                    + " once their leases expire.");
        }
    }
}
