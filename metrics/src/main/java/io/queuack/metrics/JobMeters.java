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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters fed by this process's events: enqueues, starts, outcomes, wait and run times, lease recoveries,
 * DAG runs and storage round trips. Events arrive on the queue's event thread; meters are made on first use
 * and kept in a map, so an event costs a map lookup and an increment.
 */
final class JobMeters implements JobListener {

    /** Errors a job's attempt ends with when its worker died or fell silent. */
    private static final Set<String> LOST_WORKER = Set.of("io.queuack.LeaseExpired", "io.queuack.WorkerLost");
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private final MeterRegistry registry;
    private final TagBudget names;
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    JobMeters(MeterRegistry registry, TagBudget names) {
        this.registry = registry;
        this.names = names;
    }

    @Override
    public boolean wantsRemoteEvents() {
        return false;
    }

    @Override
    public void onEnqueued(EnqueuedEvent event) {
        counter("queuack.jobs.enqueued", "Jobs this process enqueued", "queue", event.queue())
                .increment(event.ids().size());
    }

    @Override
    public void onStatusChanged(JobEvent event) {
        Duration stayed = event.stayed();
        if (event.to() == JobStatus.RUNNING) {
            counter("queuack.jobs.started", "Attempts this process's workers started", "queue", event.queue()).increment();
            if (stayed != null) {
                timer("queuack.job.wait", "Time from a job becoming due (enqueued, or its delay or backoff over) to its"
                        + " start", "queue", event.queue()).record(stayed);
            }
            return;
        }
        if (event.from() == JobStatus.RUNNING && event.error() != null && LOST_WORKER.contains(event.error().type())) {
            counter("queuack.jobs.recovered", "Running jobs recovered after their worker died or fell silent (lease"
                    + " expired)", "queue", event.queue()).increment();
        }
        if (event.to().isTerminal() || event.to() == JobStatus.FAILED) {
            String task = names.tag(event.task());
            counter("queuack.jobs.finished", "Jobs that reached a final status, or failed an attempt and will retry"
                    + " (status failed)", "queue", event.queue(), "task", task, "status", event.to().dbName()).increment();
            if (event.from() == JobStatus.RUNNING && stayed != null) {
                timer("queuack.job.run", "Run time of attempts this process's workers ran", "queue", event.queue(),
                        "task", task).record(stayed);
            }
        }
    }

    @Override
    public void onRunStatusChanged(RunEvent event) {
        String dag = names.tag(event.dag());
        if (event.from() == null) {
            counter("queuack.runs.started", "DAG runs this process submitted (by hand, schedule or backfill)",
                    "dag", dag).increment();
        } else if (event.to().isFinished()) {
            counter("queuack.runs.finished", "DAG runs that finished, by their status", "dag", dag,
                    "status", event.to().dbName()).increment();
        }
    }

    @Override
    public void onRoundTrip(RoundTripEvent event) {
        timer("queuack.storage.round.trip", "Transactions this process made with the store: a worker pool's claims"
                + " and outcomes (cycle) or an enqueue", "kind", event.kind()).record(event.took());
    }

    private Counter counter(String name, String description, String... tags) {
        return (Counter) meter(name, tags, key -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    private Timer timer(String name, String description, String... tags) {
        return (Timer) meter(name, tags, key -> Timer.builder(name).description(description).tags(tags)
                .publishPercentiles(PERCENTILES).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry));
    }

    private Meter meter(String name, String[] tags, Function<List<String>, Meter> make) {
        String[] key = new String[tags.length + 1];
        key[0] = name;
        System.arraycopy(tags, 0, key, 1, tags.length);
        return meters.computeIfAbsent(List.of(key), make);
    }

    /** Removes every meter this listener made from the registry. */
    void remove() {
        meters.values().forEach(registry::remove);
        meters.clear();
    }
}
