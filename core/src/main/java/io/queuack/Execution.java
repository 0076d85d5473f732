package io.queuack;

import io.queuack.error.JobCancelledException;
import io.queuack.error.NonRetryableException;
import io.queuack.error.TaskSkippedException;
import io.queuack.event.ProgressEvent;
import io.queuack.job.CurrentJob;
import io.queuack.job.JobContext;
import io.queuack.job.JobError;
import io.queuack.job.Limits;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import io.queuack.storage.ProgressUpdate;
import io.queuack.text.Text;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One claimed job in a worker pool, from claim to outcome; it is also the task's {@link JobContext}
 * (DAG tasks get a {@link RunTaskContext} around it). Exactly one outcome is reported: the first of
 * normal end, async completion, timeout, shutdown or release wins.
 *
 * <p>A task that returns a {@link CompletionStage} is async: the worker thread returns at once, and the
 * outcome is reported when the stage completes. DAG tasks pass their run's concurrency gate first.
 */
final class Execution implements JobContext {

    private static final System.Logger LOG = System.getLogger(Execution.class.getName());
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int DONE = 2;

    private final ClaimedJob job;
    private final TaskRegistry.Registered task;
    private final Engine engine;
    private final AttemptHost host;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final CountDownLatch startStored = new CountDownLatch(1);
    private Thread thread;
    private volatile CompletableFuture<?> pending;
    private volatile RunGate gate;
    private volatile boolean cancelled;
    private volatile String stopReason;
    private volatile boolean threadAbandoned;
    private volatile Instant startedAt;
    private volatile double progress;
    private volatile String message;
    private volatile boolean progressUnsaved;

    Execution(ClaimedJob job, TaskRegistry.Registered task, Engine engine, AttemptHost host) {
        this.job = job;
        this.task = task;
        this.engine = engine;
        this.host = host;
    }

    ClaimedJob job() {
        return job;
    }

    /** @return whether the task returned a future, so that no thread waited while it ran */
    boolean ranAsync() {
        return pending != null;
    }

    /** Runs the task on the calling worker thread, unless the execution already ended or its run is full. */
    void run() {
        if (state.get() != NEW || !engine.runningTasks().tryEnter(this)) {
            return;
        }
        RunGate runGate;
        try {
            runGate = job.runId() == null ? null : engine.runs().settings(job.runId()).gate();
        } catch (RuntimeException | Error e) {
            engine.runningTasks().leave(this);
            throw e;
        }
        if (runGate != null && !runGate.tryEnter(this)) {
            engine.runningTasks().leave(this);
            return;
        }
        boolean storeStartFirst = job.storeStartFirst();
        if (storeStartFirst) {
            host.started(this);
        }
        if ((storeStartFirst && !awaitStartStored()) || !state.compareAndSet(NEW, STARTED)) {
            if (runGate != null) {
                runGate.leave();
            }
            engine.runningTasks().leave(this);
            return;
        }
        gate = runGate;
        if (!storeStartFirst) {
            host.started(this);
        }
        synchronized (this) {
            thread = Thread.currentThread();
        }
        startedAt = engine.now();
        JobContext context = job.runId() == null ? this : new RunTaskContext(this, engine, job.runId(), job.node());
        CurrentJob.Binding binding = CurrentJob.bind(context);
        Runnable cancelTimeout = host.scheduleTimeout(this);
        Object result = null;
        Throwable failure = null;
        try {
            result = task.invoker().invoke(context, job.argumentsJson());
        } catch (Throwable e) {
            failure = e;
        } finally {
            binding.close();
            synchronized (this) {
                thread = null;
            }
            Thread.interrupted();
        }
        try {
            report(result, failure, cancelTimeout);
        } catch (Throwable broken) {
            end(cancelTimeout, unrecorded(broken));
        }
    }

    private void report(Object result, Throwable failure, Runnable cancelTimeout) {
        String cacheKey = null;
        if (result instanceof CachedOutcome cached) {
            if (cached.reused()) {
                end(cancelTimeout, Completion.succeeded(job.id(), job.attempt(), startedAt, engine.now(), cached.json())
                        .withCacheKey(cached.key()).asReused());
                return;
            }
            cacheKey = cached.key();
            result = cached.value();
        }
        if (failure == null && result instanceof CompletionStage<?> stage) {
            awaitAsync(stage.toCompletableFuture(), cacheKey, cancelTimeout);
        } else {
            end(cancelTimeout, outcome(result, failure, cacheKey));
        }
    }

    /**
     * Waits until the dispatcher stored this attempt's start (a job lost to a crash before its start was stored
     * runs only once its start is stored).
     *
     * @return false if the execution ended meanwhile (released by a shutdown, cancelled)
     */
    private boolean awaitStartStored() {
        try {
            while (!startStored.await(100, TimeUnit.MILLISECONDS)) {
                if (state.get() != NEW) {
                    return false;
                }
            }
            return state.get() == NEW;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            releaseIfUnstarted();
            return false;
        }
    }

    /** Called by the dispatcher once this attempt's start is stored. */
    void startStored() {
        startStored.countDown();
    }

    /** An async task: report its outcome when its future completes; no thread waits for it. */
    private void awaitAsync(CompletableFuture<?> future, String cacheKey, Runnable cancelTimeout) {
        pending = future;
        host.asyncStarted();
        future.whenComplete((value, error) -> {
            host.asyncEnded();
            Completion completion;
            try {
                completion = outcome(value, unwrap(error), cacheKey);
            } catch (Throwable broken) {
                completion = unrecorded(broken);
            }
            end(cancelTimeout, completion);
        });
    }

    /** The attempt ended but turning its outcome into a completion threw: a failed attempt that says why. */
    private Completion unrecorded(Throwable broken) {
        return failure(JobError.of("io.queuack.OutcomeNotRecorded", "the attempt ended, but its outcome could not be"
                + " recorded: " + JobError.of(broken).summary()), false);
    }

    /** The task's code (or its future) ended with {@code completion}. */
    private void end(Runnable cancelTimeout, Completion completion) {
        engine.runningTasks().leave(this);
        cancelTimeout.run();
        RunGate runGate = gate;
        gate = null;
        if (runGate != null) {
            runGate.leave();
        }
        finish(completion);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Completion outcome(Object result, Throwable failure, String cacheKey) {
        Instant now = engine.now();
        if (failure instanceof TaskSkippedException skipped) {
            return Completion.skipped(job.id(), job.attempt(), startedAt, now,
                    JobError.of("io.queuack.Skipped", skipped.getMessage()));
        }
        if (failure != null) {
            if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
                LOG.log(System.Logger.Level.ERROR, "Job " + job.id() + " (task " + job.task() + ") hit a JVM error;"
                        + " it is stored as the job's error", failure);
            }
            boolean cancelledFuture = failure instanceof CancellationException && cancelled;
            return failure(cancelledFuture ? JobError.of("java.util.concurrent.CancellationException", stopReason)
                    : JobError.of(failure), failure instanceof NonRetryableException);
        }
        try {
            Completion success = Completion.succeeded(job.id(), job.attempt(), startedAt, now,
                    engine.codec().writeResult(job.task(), result));
            return cacheKey == null ? success : success.withCacheKey(cacheKey);
        } catch (NonRetryableException e) {
            return failure(JobError.of(e), true);
        }
    }

    /** Called by the timeout scheduler when the attempt ran too long. */
    void timeOut() {
        Duration limit = job.timeout();
        StackTraceElement[] where;
        boolean onThread;
        synchronized (this) {
            onThread = thread != null;
            where = onThread ? thread.getStackTrace() : new StackTraceElement[0];
        }
        String trace = Arrays.stream(where).map(frame -> "\tat " + frame).collect(Collectors.joining("\n"));
        JobError error = new JobError("java.util.concurrent.TimeoutException", "attempt " + job.attempt()
                + " ran longer than its timeout of " + limit + "; the task was interrupted",
                onThread ? "Where the task was when it timed out:\n" + trace : "The task's future had not completed.");
        stop("timed out after " + limit);
        if (finish(failure(error, false))) {
            if (onThread) {
                threadAbandoned = true;
                host.replaceWorker();
            }
            interrupt();
        }
    }

    /** The job was cancelled by a user: flag it and interrupt the task; its outcome will be discarded. */
    void cancel(String reason) {
        stop(reason);
        releaseIfUnstarted();
        interrupt();
    }

    /** The pool lost this job's lease (another worker or a recovery took it over). */
    void leaseLost() {
        cancel("its lease was lost: the job was recovered or changed by someone else");
    }

    /**
     * The JVM is shutting down: if this task is the one that called {@code System.exit}, its attempt fails with
     * an error that says so (the other running tasks are given back by the pool's shutdown).
     *
     * @return whether this task called it
     */
    boolean failIfCallingExit() {
        StackTraceElement[] where;
        synchronized (this) {
            where = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
        }
        boolean exiting = Arrays.stream(where).anyMatch(frame -> frame.getClassName().equals("java.lang.Shutdown")
                || frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit"));
        if (!exiting) {
            return false;
        }
        String trace = Arrays.stream(where).map(frame -> "\tat " + frame).collect(Collectors.joining("\n"));
        stop("the task called System.exit");
        finish(failure(new JobError("io.queuack.TaskExited", "the task called System.exit (or Runtime.exit) during"
                + " attempt " + job.attempt() + ", which shut the JVM down; the other jobs running then were given back"
                + " without using an attempt", "Where the task called it:\n" + trace), false));
        return true;
    }

    /** The pool is shutting down and its grace period is over: give the attempt back and interrupt. */
    void stopForShutdown() {
        stop("the worker pool is shutting down");
        if (finish(Completion.released(job.id(), job.attempt(), engine.now()))) {
            interrupt();
        }
    }

    /**
     * Ends an execution whose running threw outside the task (storage unreachable while reading its run, say):
     * an attempt that never started is given back, one that started fails with the error.
     */
    void endOnError(Throwable error) {
        engine.runningTasks().leave(this);
        releaseIfUnstarted();
        RunGate runGate = gate;
        gate = null;
        if (runGate != null) {
            runGate.leave();
        }
        finish(unrecorded(error));
    }

    /** Gives the attempt back if the task never started. */
    void releaseIfUnstarted() {
        if (state.compareAndSet(NEW, DONE)) {
            host.finished(this, Completion.released(job.id(), job.attempt(), engine.now()));
        }
    }

    /** The run's gate has room again: back to the pool's buffer. */
    void requeue() {
        host.requeue(this);
    }

    boolean isThreadAbandoned() {
        return threadAbandoned;
    }

    /** @return the progress reported since the last save, clearing the flag, or null if none */
    ProgressUpdate takeUnsavedProgress() {
        if (!progressUnsaved) {
            return null;
        }
        progressUnsaved = false;
        return new ProgressUpdate(job.id(), progress, message);
    }

    private Completion failure(JobError error, boolean permanent) {
        Instant now = engine.now();
        if (permanent || job.attempt() >= job.maxAttempts()) {
            return Completion.dead(job.id(), job.attempt(), startedAt, now, error);
        }
        Duration wait = job.backoff().delayAfter(job.attempt(), ThreadLocalRandom.current());
        return Completion.failed(job.id(), job.attempt(), startedAt, now, error, Limits.plusCapped(now, wait));
    }

    private boolean finish(Completion completion) {
        if (state.getAndSet(DONE) == DONE) {
            return false;
        }
        host.finished(this, completion);
        return true;
    }

    private void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        cancelled = true;
    }

    /** Interrupts the task: its thread while it runs, its future while it waits. */
    private void interrupt() {
        synchronized (this) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        CompletableFuture<?> future = pending;
        if (future != null) {
            future.cancel(true);
        }
    }

    // ---------------------------------------------------------------- JobContext

    @Override
    public long jobId() {
        return job.id();
    }

    @Override
    public String queue() {
        return job.queue();
    }

    @Override
    public String task() {
        return job.task();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public Path dataDirectory() {
        return engine.dataDirectory().path();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public void progress(double fraction) {
        progress(fraction, message);
    }

    @Override
    public void progress(double fraction, String text) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("Progress must be between 0 and 1, was " + fraction);
        }
        progress = fraction;
        message = Text.wellFormed(text);
        progressUnsaved = true;
        engine.events().progress(new ProgressEvent(job.id(), job.queue(), job.task(), fraction, text, engine.now()));
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void throwIfCancelled() {
        if (cancelled) {
            throw new JobCancelledException(job.id(), stopReason);
        }
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("queuack.task." + job.task());
    }

    @Override
    public String toString() {
        return "JobContext[job " + job.id() + ", task " + job.task() + ", attempt " + job.attempt() + "/"
                + job.maxAttempts() + "]";
    }
}
