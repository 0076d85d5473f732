package io.queuack;

import io.queuack.event.EnqueuedEvent;
import io.queuack.event.RoundTripEvent;
import io.queuack.job.DagTaskName;
import io.queuack.job.JobOptions;
import io.queuack.job.JobRequest;
import io.queuack.job.Limits;
import io.queuack.job.SimpleTask;
import io.queuack.storage.Inserted;
import io.queuack.storage.JobBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns enqueue calls into stored jobs: checks the task and options, writes arguments as JSON
 * (all of them before anything is stored, so a bad argument stores nothing), applies back-pressure,
 * inserts in one transaction, then sends the event and wakes the worker pools.
 */
final class Enqueuer {

    private final Engine engine;

    Enqueuer(Engine engine) {
        this.engine = engine;
    }

    long enqueue(String task, Object argument, JobOptions options) {
        TaskRegistry.Registered registered = requireTask(task);
        String json = engine.codec().writeArgument(task, argument);
        return store(List.of(new Group(registered, options, Collections.singletonList(json),
                options.idempotencyKey() == null ? null : List.of(options.idempotencyKey())))).get(0);
    }

    List<Long> enqueueAll(String task, Collection<?> arguments, JobOptions options) {
        Objects.requireNonNull(arguments, "arguments");
        if (options.idempotencyKey() != null) {
            throw new IllegalArgumentException("One idempotency key cannot serve a batch of " + arguments.size()
                    + " jobs; use enqueueAll(List<JobRequest>) with a key per request");
        }
        TaskRegistry.Registered registered = requireTask(task);
        List<String> json = new ArrayList<>(arguments.size());
        for (Object argument : arguments) {
            json.add(engine.codec().writeArgument(task, argument));
        }
        return store(List.of(new Group(registered, options, json, null)));
    }

    List<Long> enqueueAll(List<JobRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        Map<List<Object>, GroupBuilder> groups = new LinkedHashMap<>();
        int[][] positions = new int[requests.size()][];
        for (int i = 0; i < requests.size(); i++) {
            JobRequest request = Objects.requireNonNull(requests.get(i), "request " + i);
            TaskRegistry.Registered registered = requireTask(request.task());
            String json = engine.codec().writeArgument(request.task(), request.argument());
            GroupBuilder group = groups.computeIfAbsent(List.of(request.task(), request.options().withoutKey()),
                    k -> new GroupBuilder(registered, request.options().withoutKey(), groups.size()));
            positions[i] = new int[] {group.index, group.arguments.size()};
            group.add(json, request.options().idempotencyKey());
        }
        List<Group> built = new ArrayList<>();
        groups.values().forEach(group -> built.add(group.build()));
        List<List<Long>> ids = storeGroups(built);
        List<Long> result = new ArrayList<>(requests.size());
        for (int[] position : positions) {
            result.add(ids.get(position[0]).get(position[1]));
        }
        return Collections.unmodifiableList(result);
    }

    long enqueueLambda(SimpleTask lambda, JobOptions options) {
        String name = engine.registry().registerLambda(lambda);
        return enqueue(name, null, options);
    }

    /**
     * @return a task that can be enqueued on its own (DAG tasks run only as part of their DAG's runs): one
     *         registered here, or on a store that other processes share any name, run by the worker hosts that
     *         register it
     */
    private TaskRegistry.Registered requireTask(String task) {
        Objects.requireNonNull(task, "task name");
        TaskRegistry.Registered registered = engine.storage().isExclusive() ? engine.registry().require(task)
                : Objects.requireNonNullElseGet(engine.registry().find(task),
                        () -> new TaskRegistry.Registered(task, false, null));
        if (DagTaskName.isReserved(task)) {
            throw new IllegalArgumentException("'" + task + "' is a task of a DAG; it runs only as part of a run of its DAG"
                    + " (queue.run(dag) or queue.submit(dag))");
        }
        return registered;
    }

    private List<Long> store(List<Group> groups) {
        return storeGroups(groups).get(0);
    }

    private List<List<Long>> storeGroups(List<Group> groups) {
        engine.checkOpen();
        Instant now = engine.now();
        List<JobBatch> batches = new ArrayList<>(groups.size());
        Map<String, Integer> perQueue = new HashMap<>();
        for (Group group : groups) {
            JobBatch batch = group.toBatch(now, engine);
            batches.add(batch);
            perQueue.merge(batch.queue(), batch.size(), Integer::sum);
        }
        perQueue.forEach((queue, count) -> engine.gate().admit(queue, count));
        long started = System.nanoTime();
        List<Inserted> inserted = engine.storage().insert(batches);
        if (engine.events().hasListeners()) {
            engine.events().roundTrip(new RoundTripEvent(RoundTripEvent.ENQUEUE,
                    Duration.ofNanos(System.nanoTime() - started), batches.stream().mapToInt(JobBatch::size).sum(), now));
        }
        List<List<Long>> ids = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            JobBatch batch = batches.get(i);
            Inserted result = inserted.get(i);
            engine.gate().added(batch.queue(), result.createdCount());
            ids.add(Collections.unmodifiableList(Arrays.asList(Arrays.stream(result.ids()).boxed().toArray(Long[]::new))));
            if (result.createdCount() > 0) {
                announce(batch, result, now);
            }
        }
        return ids;
    }

    /**
     * @return a batch of jobs of the named task {@code task} as an enqueue at {@code now} stores it, for a schedule's
     *         firing: the task need not be registered here (its jobs wait for a process that registers it)
     */
    JobBatch scheduledBatch(String task, JobOptions options, List<String> arguments, List<String> keys, Instant now) {
        TaskRegistry.Registered registered = Objects.requireNonNullElseGet(engine.registry().find(task),
                () -> new TaskRegistry.Registered(task, false, null));
        checkSchedulable(registered);
        return new Group(registered, options, arguments, keys).toBatch(now, engine);
    }

    /** Refuses tasks a schedule cannot start: DAG tasks and in-process lambdas. */
    void checkSchedulable(String task) {
        checkSchedulable(Objects.requireNonNullElseGet(engine.registry().find(task),
                () -> new TaskRegistry.Registered(task, false, null)));
    }

    private static void checkSchedulable(TaskRegistry.Registered task) {
        if (DagTaskName.isReserved(task.name())) {
            throw new IllegalArgumentException("'" + task.name() + "' is a task of a DAG: schedule the DAG instead"
                    + " (Schedule.dag(name, dag))");
        }
        if (task.inProcess()) {
            throw new IllegalArgumentException("'" + task.name() + "' is an in-process lambda; a schedule fires later,"
                    + " perhaps in another process: register a named task (queue.register(name, ...)) and schedule that");
        }
    }

    /** Tells listeners of the jobs a batch created and wakes the pools of its queue. */
    void announce(JobBatch batch, Inserted result, Instant now) {
        if (engine.events().hasListeners()) {
            List<Long> created = new ArrayList<>(result.createdCount());
            for (int i = 0; i < result.ids().length; i++) {
                if (!result.existing().get(i)) {
                    created.add(result.ids()[i]);
                }
            }
            engine.events().enqueued(new EnqueuedEvent(batch.queue(), batch.task(), Collections.unmodifiableList(created), now));
        }
        engine.jobsAdded(batch.queue(), batch.runAt());
    }

    /** Jobs of one task with one set of options. */
    private record Group(TaskRegistry.Registered task, JobOptions options, List<String> arguments, List<String> keys) {

        JobBatch toBatch(Instant now, Engine engine) {
            String queue = options.queue() == null ? engine.defaultQueue() : options.queue();
            Instant runAt = options.startTime(now);
            Instant expiresAt = options.ttl() == null ? null : Limits.plusCapped(now, options.ttl());
            if (expiresAt != null && !runAt.isBefore(expiresAt)) {
                throw new IllegalArgumentException("The job's time-to-live (" + options.ttl() + ") ends before it may"
                        + " start (run at " + runAt + "); it would expire unrun. Lengthen the ttl or shorten the delay.");
            }
            return new JobBatch(queue, task.name(), task.inProcess() ? engine.sessionId() : null, options.priority(),
                    options.maxAttempts(), options.backoff(), options.timeout(), now, runAt, expiresAt, arguments, keys,
                    options.limitKey());
        }
    }

    private static final class GroupBuilder {
        final TaskRegistry.Registered task;
        final JobOptions options;
        final int index;
        final List<String> arguments = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        boolean anyKey;

        GroupBuilder(TaskRegistry.Registered task, JobOptions options, int index) {
            this.task = task;
            this.options = options;
            this.index = index;
        }

        void add(String json, String key) {
            arguments.add(json);
            keys.add(key);
            anyKey |= key != null;
        }

        Group build() {
            return new Group(task, options, arguments, anyKey ? keys : null);
        }
    }
}
