package io.queuack;

import io.queuack.job.Limits;
import io.queuack.job.WorkerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run a queue's jobs: one dispatcher that claims and acknowledges in batches, and
 * {@code concurrency} workers. Start one with {@link Queuack#workers()}; close it to stop.
 *
 * <p>Closing is graceful: the pool stops claiming, gives back jobs it claimed but did not start,
 * waits up to the shutdown grace for running jobs, then interrupts the rest and gives their
 * attempts back (they run again later), and stores every outcome before returning.
 */
public final class WorkerPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());
    private static final Duration AFTER_INTERRUPT_WAIT = Duration.ofSeconds(5);
    private static final Duration DISPATCHER_STOP_WAIT = Duration.ofSeconds(30);
    private static final long WORKER_POLL_MILLIS = 100;

    private final Engine engine;
    private final PoolSettings settings;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timeouts;
    private final Thread dispatcherThread;
    /** The open pools of this pool's queue, which closes them when it closes. */
    private final Set<WorkerPool> open;
    private final AtomicInteger workerCount = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean workersStopped;
    private boolean closed;

    WorkerPool(Engine engine, PoolSettings settings, Set<WorkerPool> open) {
        this.engine = engine;
        this.open = open;
        this.settings = settings;
        this.timeouts = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "timeouts"));
        this.dispatcher = new Dispatcher(engine, settings, timeouts, this::startWorker);
        this.dispatcherThread = daemon(dispatcher, "dispatcher");
        open.add(this);
        engine.addWakeup(dispatcher);
        dispatcherThread.start();
        for (int i = 0; i < settings.concurrency(); i++) {
            startWorker();
        }
    }

    private Thread daemon(Runnable body, String role) {
        Thread thread = new Thread(body, "queuack-" + role + "-" + settings.id());
        thread.setDaemon(true);
        return thread;
    }

    private void startWorker() {
        Thread worker = daemon(this::workLoop, "worker-" + workerCount.incrementAndGet());
        worker.start();
    }

    private void workLoop() {
        try {
            while (!workersStopped) {
                Execution execution = dispatcher.take(WORKER_POLL_MILLIS);
                if (execution != null) {
                    busy.incrementAndGet();
                    try {
                        runSafely(execution);
                    } finally {
                        busy.decrementAndGet();
                    }
                    if (execution.isThreadAbandoned()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one execution; whatever it throws ends that execution, never the worker thread. */
    private void runSafely(Execution execution) {
        try {
            execution.run();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "Worker pool " + settings.id() + " could not run job " + execution.jobId()
                    + "; its attempt ends here and the worker goes on", e);
            execution.endOnError(e);
        }
    }

    /** @return the id stored as the owner of the jobs this pool runs */
    public String id() {
        return settings.id();
    }

    /** @return this pool as the registry of pools shows it ({@link Queuack#workerPools()}) */
    public WorkerInfo info() {
        return dispatcher.info(null);
    }

    /** @return worker threads */
    public int concurrency() {
        return settings.concurrency();
    }

    /** @return worker threads running a job now (0 to {@link #concurrency()}; a thread a task kept past its timeout counts too) */
    public int busyWorkers() {
        return busy.get();
    }

    /** @return the queues listened to, in order */
    public List<String> queues() {
        return List.copyOf(settings.weights().keySet());
    }

    /**
     * Waits until the pool runs nothing and its queues have no due job (delayed jobs and jobs of
     * tasks this session has not registered do not count).
     *
     * @return true if that happened within the timeout
     */
    public boolean awaitIdle(Duration timeout) {
        return dispatcher.awaitIdle(timeout);
    }

    /** @return whether the pool was closed */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes gracefully with the configured shutdown grace. Closing twice does nothing. */
    @Override
    public void close() {
        close(settings.shutdownGrace());
    }

    /**
     * Closes gracefully: stop claiming, give back unstarted jobs, wait up to {@code grace} for running
     * jobs, interrupt the rest and give their attempts back, store every outcome. Called from an interrupted
     * thread (a notebook's stop button), it does not wait for running jobs, but still stores every outcome before
     * it returns, and leaves the thread's interrupt flag set.
     */
    public synchronized void close(Duration grace) {
        Limits.waitNanos("grace", grace);
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = Thread.interrupted();
        try {
            stop(interrupted ? Duration.ZERO : grace);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The JVM is shutting down: a task that called {@code System.exit} fails its attempt; every other running
     * or claimed job is given back at once, and every outcome is stored.
     */
    void closeAtExit() {
        dispatcher.drain();
        int exiting = 0;
        for (Execution execution : dispatcher.heldExecutions()) {
            if (execution.failIfCallingExit()) {
                exiting++;
            }
        }
        Duration grace = settings.graceAtExit() ? settings.shutdownGrace() : Duration.ZERO;
        LOG.log(System.Logger.Level.INFO, "Worker pool {0}: the JVM is shutting down{1}; {2}", settings.id(),
                exiting > 0 ? " (" + exiting + " task(s) called System.exit)" : "", grace.isZero()
                        ? "giving back its jobs" : "waiting up to " + grace.toSeconds() + " s for running jobs");
        close(grace);
    }

    private void stop(Duration grace) {
        dispatcher.drain();
        dispatcher.releaseBuffered();
        if (!dispatcher.awaitEmpty(grace)) {
            List<Execution> running = dispatcher.heldExecutions();
            LOG.log(System.Logger.Level.INFO, "Worker pool {0}: {1} jobs still running after the grace period of {2};"
                    + " interrupting them, they will run again", settings.id(), running.size(), grace);
            running.forEach(Execution::stopForShutdown);
            dispatcher.releaseBuffered();
            dispatcher.awaitEmpty(AFTER_INTERRUPT_WAIT);
        }
        dispatcher.stop();
        try {
            dispatcherThread.join(DISPATCHER_STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workersStopped = true;
        timeouts.shutdownNow();
        engine.removeWakeup(dispatcher);
        open.remove(this);
    }

    @Override
    public String toString() {
        return "WorkerPool[" + settings.id() + ", concurrency " + settings.concurrency() + ", queues "
                + settings.weights() + (isClosed() ? ", closed" : "") + "]";
    }
}
