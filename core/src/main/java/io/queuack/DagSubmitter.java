package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.dag.MapBody;
import io.queuack.dag.RunOptions;
import io.queuack.dag.TaskBody;
import io.queuack.dag.TaskDefinition;
import io.queuack.dag.TaskKind;
import io.queuack.error.NonRetryableException;
import io.queuack.error.TaskSkippedException;
import io.queuack.event.RunEvent;
import io.queuack.job.DagTaskName;
import io.queuack.job.Job;
import io.queuack.job.JobContext;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.job.TaskContext;
import io.queuack.storage.PlannedTask;
import io.queuack.storage.RunInserted;
import io.queuack.storage.RunPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Turns DAGs into stored runs. Every task is registered as a named task {@code dag:<dag>:<task>} (so
 * a run resumes after a restart once the DAG is registered again) and planned as one job; the run and
 * all its dependencies are inserted in one transaction. Sub-DAG and fan-out tasks spawn sub-runs at
 * run time and wait for them asynchronously, holding no thread.
 */
final class DagSubmitter {

    private final Engine engine;
    /** The DAGs registered or submitted in this session, by name (the latest of a name wins). */
    private final Map<String, Dag> registered = new ConcurrentHashMap<>();

    DagSubmitter(Engine engine) {
        this.engine = engine;
    }

    static String taskName(String dag, String task) {
        return new DagTaskName(dag, task).stored();
    }

    private static String elementTaskName(String dag, String task) {
        return taskName(dag, task) + "[]";
    }

    /** @return the stored name of the task that runs one slot of a backfill of {@code dag} (no DAG task is named so) */
    static String slotTaskName(String dag) {
        return taskName(dag, "@backfill-slot");
    }

    /** Registers the code of every task of {@code dag} and of its sub-DAGs (registering again replaces it). */
    void register(Dag dag) {
        Map<String, TaskRegistry.Invoker> invokers = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        collect(dag, names, invokers);
        engine.registry().registerDagTasks(names, invokers);
        registered.put(dag.name(), dag);
    }

    /** @return the names of the DAGs registered (or submitted) in this session */
    Set<String> registeredNames() {
        return Set.copyOf(registered.keySet());
    }

    /** @return the DAG registered (or submitted) under {@code name} in this session */
    Optional<Dag> registered(String name) {
        return Optional.ofNullable(registered.get(name));
    }

    private void collect(Dag dag, Set<String> names, Map<String, TaskRegistry.Invoker> invokers) {
        names.add(dag.name());
        invokers.put(slotTaskName(dag.name()), (context, json) -> runSlot(dag, context, json));
        for (TaskDefinition task : dag.tasks()) {
            String name = taskName(dag.name(), task.name());
            switch (task.kind()) {
                case TASK -> invokers.put(name, (context, json) -> runBody(dag, task, context));
                case SUB_DAG -> {
                    collect(task.subDag(), names, invokers);
                    invokers.put(name, (context, json) -> runSubDag(task, context));
                }
                case MAP -> {
                    invokers.put(name, (context, json) -> fanOut(dag, task, context));
                    MapBody<Object> body = elementBody(task);
                    Class<?> type = task.elementType();
                    String elementTask = elementTaskName(dag.name(), task.name());
                    invokers.put(elementTask, (context, json) -> reusing((RunTaskContext) context, elementTask,
                            task.version(), () -> Map.of("", String.valueOf(json)), () -> body.apply((TaskContext) context,
                                    engine.codec().read(json, engine.codec().type(type),
                                            "an element of the list fanned out by '" + task.name() + "'"))));
                }
                default -> throw new IllegalStateException("Unknown task kind " + task.kind());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static MapBody<Object> elementBody(TaskDefinition task) {
        return (MapBody<Object>) task.mapBody();
    }

    /** Stores a run of {@code dag}. @return its id */
    long submit(Dag dag, RunOptions options) {
        register(dag);
        return insert(planRun(dag, options, null, engine.now()));
    }

    /** @return a top-level run of {@code dag} (registered) to store, keyed by {@code idempotencyKey} (or null) */
    RunPlan planRun(Dag dag, RunOptions options, String idempotencyKey, Instant now) {
        String parameters = engine.codec().writeArgument("the parameters of a run of '" + dag.name() + "'",
                options.parameters().isEmpty() ? null : options.parameters());
        String optionsJson = engine.codec().writeArgument("run options", ActiveRuns.StoredOptions.of(options));
        return new RunPlan(dag.name(), parameters, optionsJson, null, idempotencyKey, now, plan(dag));
    }

    private long insert(RunPlan plan) {
        RunInserted inserted = engine.storage().insertRun(plan);
        announce(plan, inserted);
        return inserted.runId();
    }

    /** Wakes the pools of a newly stored run's queues and tells listeners it started (nothing if it was stored before). */
    void announce(RunPlan plan, RunInserted inserted) {
        if (!inserted.existing()) {
            Instant now = plan.createdAt();
            Set<String> queues = new LinkedHashSet<>();
            plan.tasks().forEach(task -> queues.add(task.queue()));
            queues.forEach(queue -> engine.jobsAdded(queue, now));
            engine.events().runsChanged(List.of(new RunEvent(inserted.runId(), plan.dag(), null, RunStatus.RUNNING, now)));
        }
    }

    private List<PlannedTask> plan(Dag dag) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < dag.tasks().size(); i++) {
            index.put(dag.tasks().get(i).name(), i);
        }
        List<PlannedTask> planned = new ArrayList<>(dag.tasks().size());
        for (TaskDefinition task : dag.tasks()) {
            JobOptions options = dag.optionsOf(task);
            int[] parents = task.upstream().stream().mapToInt(index::get).toArray();
            planned.add(new PlannedTask(task.name(), taskName(dag.name(), task.name()), null, queueOf(options),
                    options.priority(), options.maxAttempts(), options.backoff(), options.timeout(), task.mode(), parents,
                    options.limitKey()));
        }
        return planned;
    }

    private String queueOf(JobOptions options) {
        return options.queue() == null ? engine.defaultQueue() : options.queue();
    }

    /** @return every queue the tasks of {@code dag} and its sub-DAGs go to */
    Set<String> queuesOf(Dag dag) {
        Set<String> queues = new LinkedHashSet<>();
        for (TaskDefinition task : dag.tasks()) {
            queues.add(queueOf(dag.optionsOf(task)));
            if (task.kind() == TaskKind.SUB_DAG) {
                queues.addAll(queuesOf(task.subDag()));
            }
        }
        return queues;
    }

    // ---------------------------------------------------------------- running tasks

    private Object runBody(Dag dag, TaskDefinition task, JobContext jobContext) throws Exception {
        RunTaskContext context = (RunTaskContext) jobContext;
        checkCondition(task, context);
        TaskBody body = task.body();
        return reusing(context, taskName(dag.name(), task.name()), task.version(), context::upstreamJson,
                () -> body.run(context));
    }

    /** Code that computes a task's result. */
    @FunctionalInterface
    private interface Computation {
        Object compute() throws Exception;
    }

    /**
     * Runs {@code computation}, unless the run reuses results and a result is stored for the same task,
     * version, run parameters and {@code inputs} (read only then): then that result is the outcome.
     */
    private Object reusing(RunTaskContext context, String task, String version, Supplier<Map<String, String>> inputs,
                           Computation computation) throws Exception {
        if (!engine.runs().settings(context.runId()).reuseResults()) {
            return computation.compute();
        }
        String key = cacheKey(context, task, version, inputs.get());
        String reused = engine.storage().cachedResult(key).orElse(null);
        return reused != null ? new CachedOutcome(key, reused, null) : new CachedOutcome(key, null, computation.compute());
    }

    private static void checkCondition(TaskDefinition task, TaskContext context) {
        if (task.condition() != null && !task.condition().test(context)) {
            throw new TaskSkippedException("its condition was false");
        }
    }

    /**
     * The task, its version, the run parameters and the task's inputs (upstream results, or a fan-out
     * element), hashed: equal inputs, equal key.
     */
    private String cacheKey(RunTaskContext context, String task, String version, Map<String, String> inputs) {
        StringBuilder text = new StringBuilder(String.valueOf(engine.runs().settings(context.runId()).parametersJson()));
        new TreeMap<>(inputs).forEach((name, json) -> text.append('\u0000').append(name).append('=').append(json));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return task + "@" + (version == null ? "" : version) + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Object runSubDag(TaskDefinition task, JobContext jobContext) {
        RunTaskContext context = (RunTaskContext) jobContext;
        checkCondition(task, context);
        ActiveRuns.Settings parent = engine.runs().settings(context.runId());
        return spawnAndAwait(task.subDag(), parent.parametersJson(), parent.optionsJson(), context,
                "sub-DAG '" + task.subDag().name() + "'");
    }

    /**
     * Runs one slot of a backfill: a run of {@code dag} with the backfill's parameters and the slot's own (the job's
     * argument, a JSON object), reusing results as the backfill says, its tasks as many at once as a run's default.
     */
    private Object runSlot(Dag dag, JobContext jobContext, String slotJson) {
        RunTaskContext context = (RunTaskContext) jobContext;
        ActiveRuns.Settings backfill = engine.runs().settings(context.runId());
        Map<String, Object> parameters = new LinkedHashMap<>(engine.codec().readObject(backfill.parametersJson(),
                "the parameters of backfill run " + context.runId()));
        parameters.putAll(engine.codec().readObject(slotJson, "the parameters of slot '" + context.taskName() + "'"));
        RunOptions options = RunOptions.defaults().parameters(parameters).reuseResults(backfill.reuseResults());
        return spawnAndAwait(dag, engine.codec().writeArgument("the parameters of a run of '" + dag.name() + "'",
                parameters), engine.codec().writeArgument("run options", ActiveRuns.StoredOptions.of(options)), context,
                "slot '" + context.taskName() + "'");
    }

    /**
     * Stores a run of {@code sub} spawned by the job of {@code context} (once: running the job again finds the same
     * run) and waits for it without holding a thread. @return a future of a map of its final tasks' results
     */
    private Object spawnAndAwait(Dag sub, String parametersJson, String optionsJson, RunTaskContext context, String what) {
        long child = insert(new RunPlan(sub.name(), parametersJson, optionsJson, context.jobId(),
                "spawned-by-job-" + context.jobId(), engine.now(), plan(sub)));
        return afterSubRun(child, what, () -> {
            Map<String, Object> outputs = new LinkedHashMap<>();
            Map<String, Job> byNode = new HashMap<>();
            engine.storage().runJobs(child).forEach(job -> byNode.put(job.node(), job));
            for (String name : sub.finalTasks()) {
                outputs.put(name, decode(byNode.get(name)));
            }
            return outputs;
        });
    }

    private Object fanOut(Dag dag, TaskDefinition task, JobContext jobContext) {
        RunTaskContext context = (RunTaskContext) jobContext;
        checkCondition(task, context);
        List<?> elements = context.upstream(task.over(), List.class);
        if (elements == null) {
            throw new NonRetryableException("Task '" + task.name() + "' fans out over the result of '" + task.over()
                    + "', which returned null instead of a list");
        }
        String elementTask = elementTaskName(dag.name(), task.name());
        JobOptions options = dag.optionsOf(task);
        List<PlannedTask> planned = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            planned.add(new PlannedTask(Integer.toString(i), elementTask,
                    engine.codec().writeArgument(elementTask, elements.get(i)), queueOf(options), options.priority(),
                    options.maxAttempts(), options.backoff(), options.timeout(), task.mode(), new int[0], options.limitKey()));
        }
        ActiveRuns.Settings parent = engine.runs().settings(context.runId());
        long child = insert(new RunPlan(dag.name() + "." + task.name(), parent.parametersJson(), parent.optionsJson(),
                context.jobId(), "spawned-by-job-" + context.jobId(), engine.now(), planned));
        return afterSubRun(child, "fan-out '" + task.name() + "'", () -> {
            List<Job> jobs = new ArrayList<>(engine.storage().runJobs(child));
            jobs.sort((a, b) -> Integer.compare(Integer.parseInt(a.node()), Integer.parseInt(b.node())));
            List<Object> results = new ArrayList<>(jobs.size());
            jobs.forEach(job -> results.add(decode(job)));
            return results;
        });
    }

    /** A result read from storage as a JSON tree, or null. */
    private Object decode(Job job) {
        return job == null ? null : engine.codec().read(job.resultJson(), engine.codec().type(Object.class),
                "the result of task '" + job.node() + "'");
    }

    /** Reads a finished sub-run's result. */
    @FunctionalInterface
    private interface SubRunResult {
        Object read();
    }

    /** @return a future of the sub-run's result, failing (without retry) if the sub-run does not succeed */
    private CompletableFuture<Object> afterSubRun(long child, String what, SubRunResult result) {
        return engine.runs().whenFinished(child).thenApply(status -> {
            if (status != RunStatus.SUCCEEDED) {
                throw new CompletionException(new NonRetryableException(what + " (run " + child + ") ended " + status
                        + firstProblem(child)));
            }
            return result.read();
        });
    }

    private String firstProblem(long runId) {
        for (Job job : engine.storage().runJobs(runId)) {
            if (JobStatus.LOST.contains(job.status())) {
                return ": task '" + job.node() + "' ended " + job.status()
                        + (job.error() == null ? "" : " (" + job.error().summary() + ")");
            }
        }
        return "";
    }
}
