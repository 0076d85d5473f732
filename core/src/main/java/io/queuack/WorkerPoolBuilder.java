package io.queuack;

import io.queuack.job.JobOptions;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Configures and starts a {@link WorkerPool}. Get one from {@link Queuack#workers()}.
 *
 * <pre>{@code
 * WorkerPool pool = queue.workers()
 *         .concurrency(8)
 *         .queue("interactive", 3)   // three claims of four go here while both have work
 *         .queue("batch", 1)
 *         .start();
 * }</pre>
 */
public final class WorkerPoolBuilder {

    /** Worker threads when none is given: the number of processors, at least 2. */
    public static final int DEFAULT_CONCURRENCY = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Most worker threads one pool may have. */
    public static final int MAX_CONCURRENCY = 1024;
    /** Lease length: a job whose pool stops renewing it for this long is claimed again. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** How long closing waits for running jobs before interrupting them. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** How often the pool looks for jobs no one announced to it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Most jobs claimed beyond the concurrency (the pool adapts below it for long jobs). */
    public static final int DEFAULT_MAX_CLAIM_BATCH = 1000;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Engine engine;
    private final Set<WorkerPool> pools;
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private int concurrency = DEFAULT_CONCURRENCY;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private boolean graceAtExit;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int maxClaimBatch = DEFAULT_MAX_CLAIM_BATCH;
    private Long onlyRun;

    /** Told when a pool that is not limited to one run starts (the queue then fires its schedules). */
    private final Runnable generalPoolStarted;

    WorkerPoolBuilder(Engine engine, Set<WorkerPool> pools, Runnable generalPoolStarted) {
        this.engine = engine;
        this.pools = pools;
        this.generalPoolStarted = generalPoolStarted;
    }

    /** @param threads worker threads, 1 to 1024 */
    public WorkerPoolBuilder concurrency(int threads) {
        if (threads < 1 || threads > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("Concurrency must be between 1 and " + MAX_CONCURRENCY + ", was " + threads);
        }
        this.concurrency = threads;
        return this;
    }

    /** Listens to {@code queue} with weight 1. Without any queue, the pool listens to the default queue. */
    public WorkerPoolBuilder queue(String queue) {
        return queue(queue, 1);
    }

    /**
     * Listens to {@code queue}. While several queues have due jobs, each gets claims in proportion to its
     * weight (weighted fair sharing, no starvation); priorities order jobs within a queue.
     *
     * @param weight 1 to 1000
     */
    public WorkerPoolBuilder queue(String queue, int weight) {
        JobOptions.checkQueueName(queue);
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("Queue weight must be between 1 and 1000, was " + weight);
        }
        weights.put(queue, weight);
        return this;
    }

    /** @param timeout lease length, 1 s to 1 day; the pool renews leases every third of it */
    public WorkerPoolBuilder visibilityTimeout(Duration timeout) {
        this.visibilityTimeout = within("visibilityTimeout", timeout, Duration.ofSeconds(1), Duration.ofDays(1));
        return this;
    }

    /** @param grace how long {@link WorkerPool#close()} waits for running jobs before interrupting them, 0 to 1 day */
    public WorkerPoolBuilder shutdownGrace(Duration grace) {
        this.shutdownGrace = within("shutdownGrace", grace, Duration.ZERO, Duration.ofDays(1));
        return this;
    }

    /**
     * At JVM shutdown (SIGTERM, {@code System.exit}), waits the {@link #shutdownGrace} for running jobs like
     * {@code close()} does, instead of giving them back at once: for worker processes, whose platform sends
     * SIGTERM and waits before it kills. Without it, a notebook kernel's shutdown stays quick.
     */
    public WorkerPoolBuilder graceAtExit() {
        this.graceAtExit = true;
        return this;
    }

    /**
     * @param interval how often to look for jobs nobody announced (other processes' or recovered jobs), 10 ms to
     *                 1 hour. Jobs enqueued in this process start without waiting for it.
     */
    public WorkerPoolBuilder pollInterval(Duration interval) {
        this.pollInterval = within("pollInterval", interval, Duration.ofMillis(10), Duration.ofHours(1));
        return this;
    }

    /** @param jobs the most jobs claimed beyond the concurrency in one round trip, 1 to 100000 */
    public WorkerPoolBuilder maxClaimBatch(int jobs) {
        if (jobs < 1 || jobs > 100_000) {
            throw new IllegalArgumentException("maxClaimBatch must be between 1 and 100000, was " + jobs);
        }
        this.maxClaimBatch = jobs;
        return this;
    }

    /** Restricts the pool to the tasks of one DAG run tree (a DAG's own {@code run()} uses this). */
    WorkerPoolBuilder onlyRun(long rootRunId) {
        this.onlyRun = rootRunId;
        return this;
    }

    /** Starts the pool's threads. */
    public WorkerPool start() {
        engine.checkOpen();
        Map<String, Integer> ordered = new LinkedHashMap<>(weights);
        if (ordered.isEmpty()) {
            ordered.put(engine.defaultQueue(), 1);
        }
        PoolSettings settings = new PoolSettings(ownerId(), concurrency, ordered, visibilityTimeout, shutdownGrace,
                pollInterval, maxClaimBatch, onlyRun, graceAtExit);
        WorkerPool pool = new WorkerPool(engine, settings, pools);
        if (onlyRun == null) {
            generalPoolStarted.run();
        }
        return pool;
    }

    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":pool-" + POOLS.incrementAndGet() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Duration within(String what, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
