package io.queuack;

import io.queuack.storage.ClaimedJob;
import io.queuack.storage.Completion;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One claimed job in a worker pool, from claim to outcome; it is also the task's {@link JobContext}.
 * Exactly one outcome is reported: the first of normal end, timeout, shutdown or release wins.
 */
final class Execution implements JobContext {

    private static final System.Logger LOG = System.getLogger(Execution.class.getName());
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int DONE = 2;

    private final ClaimedJob job;
    private final TaskRegistry.Registered task;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private Thread thread;
    private volatile boolean cancelled;
    private volatile String stopReason;
    private volatile boolean threadAbandoned;
    private volatile Instant startedAt;
    private volatile double progress;
    private volatile String message;
    private volatile boolean progressUnsaved;

    Execution(ClaimedJob job, TaskRegistry.Registered task, Engine engine, Dispatcher dispatcher) {
        this.job = job;
        this.task = task;
        this.engine = engine;
        this.dispatcher = dispatcher;
    }

    ClaimedJob job() {
        return job;
    }

    /** Runs the task on the calling worker thread, unless the execution already ended. */
    void run() {
        if (!state.compareAndSet(NEW, STARTED)) {
            return;
        }
        synchronized (this) {
            thread = Thread.currentThread();
        }
        startedAt = engine.now();
        CurrentJob.set(this);
        Runnable cancelTimeout = dispatcher.scheduleTimeout(this);
        Completion completion;
        try {
            Object result = task.invoker().invoke(this, job.argumentsJson());
            completion = Completion.succeeded(job.id(), job.attempt(), startedAt, engine.now(),
                    engine.codec().writeResult(job.task(), result));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                LOG.log(System.Logger.Level.ERROR, "Job " + job.id() + " (task " + job.task() + ") hit a JVM error;"
                        + " it is stored as the job's error", e);
            }
            completion = failure(JobError.of(e), e instanceof NonRetryableException);
        } finally {
            cancelTimeout.run();
            CurrentJob.set(null);
            synchronized (this) {
                thread = null;
            }
            Thread.interrupted();
        }
        finish(completion);
    }

    /** Called by the timeout scheduler when the attempt ran too long. */
    void timeOut() {
        Duration limit = job.timeout();
        StackTraceElement[] where;
        synchronized (this) {
            where = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
        }
        String trace = Arrays.stream(where).map(frame -> "\tat " + frame).collect(Collectors.joining("\n"));
        JobError error = new JobError("java.util.concurrent.TimeoutException", "attempt " + job.attempt()
                + " ran longer than its timeout of " + limit + "; the task's thread was interrupted",
                "Where the task was when it timed out:\n" + trace);
        stop("timed out after " + limit);
        if (finish(failure(error, false))) {
            threadAbandoned = true;
            dispatcher.replaceWorker();
            interruptIfRunning();
        }
    }

    /** The job was cancelled by a user: flag it and interrupt the task; its outcome will be discarded. */
    void cancel(String reason) {
        stop(reason);
        releaseIfUnstarted();
        interruptIfRunning();
    }

    /** The pool lost this job's lease (another worker or a recovery took it over). */
    void leaseLost() {
        cancel("its lease was lost: the job was recovered or changed by someone else");
    }

    /** The pool is shutting down and its grace period is over: give the attempt back and interrupt. */
    void stopForShutdown() {
        stop("the worker pool is shutting down");
        if (finish(Completion.released(job.id(), job.attempt(), engine.now()))) {
            interruptIfRunning();
        }
    }

    /** Gives the attempt back if the task never started. */
    void releaseIfUnstarted() {
        if (state.compareAndSet(NEW, DONE)) {
            dispatcher.finished(this, Completion.released(job.id(), job.attempt(), engine.now()));
        }
    }

    boolean isThreadAbandoned() {
        return threadAbandoned;
    }

    /** @return the unsaved progress as {@code {progress, message}}, clearing the flag, or null if none */
    Object[] takeUnsavedProgress() {
        if (!progressUnsaved) {
            return null;
        }
        progressUnsaved = false;
        return new Object[] {progress, message};
    }

    private Completion failure(JobError error, boolean permanent) {
        Instant now = engine.now();
        if (permanent || job.attempt() >= job.maxAttempts()) {
            return Completion.dead(job.id(), job.attempt(), startedAt, now, error);
        }
        Duration wait = job.backoff().delayAfter(job.attempt(), ThreadLocalRandom.current());
        return Completion.failed(job.id(), job.attempt(), startedAt, now, error, now.plus(wait));
    }

    private boolean finish(Completion completion) {
        if (state.getAndSet(DONE) == DONE) {
            return false;
        }
        dispatcher.finished(this, completion);
        return true;
    }

    private void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        cancelled = true;
    }

    private synchronized void interruptIfRunning() {
        if (thread != null) {
            thread.interrupt();
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
        message = text;
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
