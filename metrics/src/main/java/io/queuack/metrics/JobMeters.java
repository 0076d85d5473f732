package io.queuack.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.queuack.event.EnqueuedEvent;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.RoundTripEvent;
import io.queuack.event.RunEvent;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The meters fed by this process's events: enqueues, starts, outcomes, wait and run times, lease recoveries,
 * DAG runs and storage round trips. Events arrive on the queue's event thread; meters are made on first use and
 * kept per queue and per task, so an event costs a map lookup or two and an update, without allocating.
 */
final class JobMeters implements JobListener {

    /** Errors a job's attempt ends with when its worker died or fell silent. */
    private static final Set<String> LOST_WORKER = Set.of("io.queuack.LeaseExpired", "io.queuack.WorkerLost");
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private final MeterRegistry registry;
    private final TagBudget names;
    private final boolean clientPercentiles;
    private final List<Meter> made = new CopyOnWriteArrayList<>();
    private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();
    private final Map<String, Timer> roundTrips = new ConcurrentHashMap<>();
    private final Map<String, Counter> runsStarted = new ConcurrentHashMap<>();
    private final Map<String, Map<RunStatus, Counter>> runsFinished = new ConcurrentHashMap<>();

    JobMeters(MeterRegistry registry, TagBudget names, boolean clientPercentiles) {
        this.registry = registry;
        this.names = names;
        this.clientPercentiles = clientPercentiles;
    }

    /** The meters of one queue. */
    private final class QueueMeters {
        final String queue;
        final Counter enqueued;
        final Counter started;
        final Counter recovered;
        final Timer wait;
        final Map<String, TaskMeters> tasks = new ConcurrentHashMap<>();

        QueueMeters(String queue) {
            this.queue = queue;
            enqueued = counter(Counter.builder("queuack.jobs.enqueued").description("Jobs this process enqueued")
                    .tag("queue", queue));
            started = counter(Counter.builder("queuack.jobs.started").description("Attempts this process's workers"
                    + " started").tag("queue", queue));
            recovered = counter(Counter.builder("queuack.jobs.recovered").description("Running jobs recovered after"
                    + " their worker died or fell silent (lease expired)").tag("queue", queue));
            wait = timer(Timer.builder("queuack.job.wait").description("Time from a job becoming due (enqueued, or its"
                    + " delay or backoff over) to its start").tag("queue", queue));
        }

        TaskMeters task(String name) {
            return tasks.computeIfAbsent(name, task -> new TaskMeters(queue, names.tag(task)));
        }
    }

    /** The meters of one task on one queue. */
    private final class TaskMeters {
        final String queue;
        final String task;
        final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);
        final Timer run;

        TaskMeters(String queue, String task) {
            this.queue = queue;
            this.task = task;
            run = timer(Timer.builder("queuack.job.run").description("Run time of attempts this process's workers ran")
                    .tags("queue", queue, "task", task));
        }

        synchronized Counter finished(JobStatus status) {
            return finished.computeIfAbsent(status, to -> counter(Counter.builder("queuack.jobs.finished")
                    .description("Jobs that reached a final status, or failed an attempt and will retry (status failed)")
                    .tags("queue", queue, "task", task, "status", to.dbName())));
        }
    }

    @Override
    public boolean wantsRemoteEvents() {
        return false;
    }

    private QueueMeters queue(String name) {
        return queues.computeIfAbsent(name, QueueMeters::new);
    }

    @Override
    public void onEnqueued(EnqueuedEvent event) {
        queue(event.queue()).enqueued.increment(event.ids().size());
    }

    @Override
    public void onStatusChanged(JobEvent event) {
        QueueMeters meters = queue(event.queue());
        long stayed = event.since() == null ? -1 : event.since().until(event.at(), ChronoUnit.NANOS);
        if (event.to() == JobStatus.RUNNING) {
            meters.started.increment();
            if (stayed >= 0) {
                meters.wait.record(stayed, TimeUnit.NANOSECONDS);
            }
            return;
        }
        if (event.from() == JobStatus.RUNNING && event.error() != null && LOST_WORKER.contains(event.error().type())) {
            meters.recovered.increment();
        }
        if (event.to().isTerminal() || event.to() == JobStatus.FAILED) {
            TaskMeters task = meters.task(event.task());
            task.finished(event.to()).increment();
            if (event.from() == JobStatus.RUNNING && stayed >= 0) {
                task.run.record(stayed, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void onRunStatusChanged(RunEvent event) {
        if (event.from() == null) {
            runsStarted.computeIfAbsent(event.dag(), dag -> counter(Counter.builder("queuack.runs.started")
                    .description("DAG runs this process submitted (by hand, schedule or backfill)")
                    .tag("dag", names.tag(dag)))).increment();
        } else if (event.to().isFinished()) {
            Map<RunStatus, Counter> byStatus = runsFinished.computeIfAbsent(event.dag(), dag -> new ConcurrentHashMap<>());
            byStatus.computeIfAbsent(event.to(), status -> counter(Counter.builder(
                    "queuack.runs.finished").description("DAG runs that finished, by their status")
                    .tags("dag", names.tag(event.dag()), "status", event.to().dbName()))).increment();
        }
    }

    @Override
    public void onRoundTrip(RoundTripEvent event) {
        roundTrips.computeIfAbsent(event.kind(), kind -> timer(Timer.builder("queuack.storage.round.trip")
                .description("Transactions this process made with the store: a worker pool's claims and outcomes"
                        + " (cycle) or an enqueue").tag("kind", kind))).record(event.took());
    }

    private Counter counter(Counter.Builder builder) {
        Counter counter = builder.register(registry);
        made.add(counter);
        return counter;
    }

    private Timer timer(Timer.Builder builder) {
        if (clientPercentiles) {
            builder.publishPercentiles(PERCENTILES);
        }
        Timer timer = builder.publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
        made.add(timer);
        return timer;
    }

    /** Removes every meter this listener made from the registry. */
    void remove() {
        made.forEach(registry::remove);
        made.clear();
        queues.clear();
        roundTrips.clear();
        runsStarted.clear();
        runsFinished.clear();
    }
}
