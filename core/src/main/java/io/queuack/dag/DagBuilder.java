package io.queuack.dag;

import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.JobOptions;
import io.queuack.job.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Declares a {@link Dag} task by task. Each {@code task(...)} returns a {@link TaskStep} whose methods
 * set that task's upstream tasks and options and which continues with the next task, so a DAG reads
 * top to bottom:
 *
 * <pre>{@code
 * Dag etl = Dag.builder("etl")
 *         .defaults(JobOptions.defaults().maxAttempts(2))
 *         .task("extract", ctx -> fetchRows())
 *         .task("clean", ctx -> clean(ctx.upstream("extract", Rows.class))).after("extract")
 *         .task("load", ctx -> save(ctx.upstream("clean", Rows.class))).after("clean").retries(3)
 *         .build();
 * }</pre>
 *
 * Problems in the structure (cycles, unknown upstream tasks, duplicate names, an empty DAG, options that
 * do not apply) are all reported together by {@link #build()}.
 */
public final class DagBuilder {

    /** A task being declared. */
    private static final class Spec {
        final String name;
        final TaskKind kind;
        final Set<String> upstream = new LinkedHashSet<>();
        DependencyMode mode = DependencyMode.ALL;
        JobOptions options;
        Integer retries;
        Duration timeout;
        Integer priority;
        String queue;
        Backoff backoff;
        Predicate<TaskContext> condition;
        String version;
        TaskBody body;
        Dag subDag;
        String over;
        Class<?> elementType;
        MapBody<?> mapBody;

        Spec(String name, TaskKind kind) {
            this.name = name;
            this.kind = kind;
        }

        TaskDefinition build() {
            JobOptions own = options;
            if (retries != null || timeout != null || priority != null || queue != null || backoff != null) {
                own = own == null ? JobOptions.defaults() : own;
                own = retries == null ? own : own.maxAttempts(retries + 1);
                own = timeout == null ? own : own.timeout(timeout);
                own = priority == null ? own : own.priority(priority);
                own = queue == null ? own : own.queue(queue);
                own = backoff == null ? own : own.backoff(backoff);
            }
            return new TaskDefinition(name, kind, new ArrayList<>(upstream), mode, own, condition, version, body, subDag,
                    over, elementType, mapBody);
        }
    }

    private final String name;
    private final List<Spec> specs = new ArrayList<>();
    private String description = "";
    private JobOptions defaults = JobOptions.defaults();

    DagBuilder(String name) {
        this.name = Objects.requireNonNull(name, "DAG name");
    }

    /** @param text a sentence saying what the DAG does (shown in pictures and listings) */
    public DagBuilder description(String text) {
        this.description = Objects.requireNonNull(text, "description");
        return this;
    }

    /**
     * @param options the options of every task that sets none of its own: queue, priority, attempts, backoff,
     *                timeout. Delays, time-to-live and idempotency keys do not apply to DAG tasks.
     */
    public DagBuilder defaults(JobOptions options) {
        this.defaults = Objects.requireNonNull(options, "defaults");
        return this;
    }

    /** Adds a task that takes its context and returns a result (or null, or a {@code CompletionStage}). */
    public TaskStep task(String name, TaskBody body) {
        Objects.requireNonNull(body, "body");
        Spec spec = new Spec(name, TaskKind.TASK);
        spec.body = body;
        return add(spec);
    }

    /** Adds a task that needs no context and returns a result. */
    public TaskStep task(String name, Callable<?> body) {
        Objects.requireNonNull(body, "body");
        return task(name, context -> body.call());
    }

    /** Adds a task that needs no context and returns nothing. */
    public TaskStep task(String name, Runnable body) {
        Objects.requireNonNull(body, "body");
        return task(name, context -> {
            body.run();
            return null;
        });
    }

    /**
     * Adds a task that runs another DAG as a sub-run (with this run's parameters) and succeeds when it
     * succeeds; its result, readable downstream under {@code name}, maps each final task of the sub-DAG to
     * its result.
     */
    public TaskStep subDag(String name, Dag dag) {
        Spec spec = new Spec(name, TaskKind.SUB_DAG);
        spec.subDag = Objects.requireNonNull(dag, "sub-DAG");
        return add(spec);
    }

    /**
     * Adds a fan-out task: at run time it reads the list that upstream task {@code over} returned and runs
     * {@code body} once per element, each as its own job (in parallel, each with its own attempts); then it
     * fans in: its result is the list of the elements' results, in order. {@code over} becomes an upstream task.
     *
     * @param elementType the type each element is read as
     */
    public <E> TaskStep map(String name, String over, Class<E> elementType, MapBody<E> body) {
        Spec spec = new Spec(name, TaskKind.MAP);
        spec.over = Objects.requireNonNull(over, "over");
        spec.elementType = Objects.requireNonNull(elementType, "elementType");
        spec.mapBody = Objects.requireNonNull(body, "body");
        spec.upstream.add(over);
        return add(spec);
    }

    private TaskStep add(Spec spec) {
        Objects.requireNonNull(spec.name, "task name");
        specs.add(spec);
        return new TaskStep(spec);
    }

    /**
     * Validates the DAG and returns it.
     *
     * @throws DagValidationException listing every problem found
     */
    public Dag build() {
        List<TaskDefinition> tasks = specs.stream().map(Spec::build).toList();
        List<String> problems = DagValidator.problems(name, defaults, tasks);
        if (!problems.isEmpty()) {
            throw new DagValidationException(name, problems);
        }
        return new Dag(name, description, defaults, tasks);
    }

    /** The task just declared: set its upstream tasks and options, then declare the next task or build. */
    public final class TaskStep {

        private final Spec spec;

        private TaskStep(Spec spec) {
            this.spec = spec;
        }

        /** @param upstream tasks that must finish first (declared before or after this one) */
        public TaskStep after(String... upstream) {
            for (String name : upstream) {
                spec.upstream.add(Objects.requireNonNull(name, "upstream task name"));
            }
            return this;
        }

        /** @param mode ALL (default): every upstream task must succeed; ANY: one success is enough */
        public TaskStep mode(DependencyMode mode) {
            spec.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** @param options this task's options instead of the DAG's defaults */
        public TaskStep options(JobOptions options) {
            spec.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** @param count how many times a failed attempt is retried, 0 to 999 */
        public TaskStep retries(int count) {
            if (count < 0 || count >= JobOptions.MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException("Retries must be between 0 and " + (JobOptions.MAX_ATTEMPTS_LIMIT - 1)
                        + ", was " + count);
            }
            spec.retries = count;
            return this;
        }

        /** @param limit the longest one attempt may run; positive */
        public TaskStep timeout(Duration limit) {
            JobOptions.defaults().timeout(limit);
            spec.timeout = limit;
            return this;
        }

        /** @param value 0 to 100; among due tasks, higher runs first */
        public TaskStep priority(int value) {
            JobOptions.defaults().priority(value);
            spec.priority = value;
            return this;
        }

        /** @param name the queue this task's job goes to */
        public TaskStep queue(String name) {
            JobOptions.defaults().queue(name);
            spec.queue = name;
            return this;
        }

        /** @param wait the wait between failed attempts */
        public TaskStep backoff(Backoff wait) {
            spec.backoff = Objects.requireNonNull(wait, "backoff");
            return this;
        }

        /**
         * @param condition decides when the task is due whether it runs; when false the task ends SKIPPED (and
         *                  its ALL-mode downstream tasks too), without failing the run
         */
        public TaskStep when(Predicate<TaskContext> condition) {
            spec.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /** @param tag the code's version: change it when you change the code, so reused results are not stale */
        public TaskStep version(String tag) {
            spec.version = Objects.requireNonNull(tag, "version");
            return this;
        }

        /** Declares the next task. See {@link DagBuilder#task(String, TaskBody)}. */
        public TaskStep task(String name, TaskBody body) {
            return DagBuilder.this.task(name, body);
        }

        /** Declares the next task. See {@link DagBuilder#task(String, Callable)}. */
        public TaskStep task(String name, Callable<?> body) {
            return DagBuilder.this.task(name, body);
        }

        /** Declares the next task. See {@link DagBuilder#task(String, Runnable)}. */
        public TaskStep task(String name, Runnable body) {
            return DagBuilder.this.task(name, body);
        }

        /** Declares the next task. See {@link DagBuilder#subDag(String, Dag)}. */
        public TaskStep subDag(String name, Dag dag) {
            return DagBuilder.this.subDag(name, dag);
        }

        /** Declares the next task. See {@link DagBuilder#map(String, String, Class, MapBody)}. */
        public <E> TaskStep map(String name, String over, Class<E> elementType, MapBody<E> body) {
            return DagBuilder.this.map(name, over, elementType, body);
        }

        /** See {@link DagBuilder#build()}. */
        public Dag build() {
            return DagBuilder.this.build();
        }

        @Override
        public String toString() {
            return "TaskStep[" + spec.name + " after " + Arrays.toString(spec.upstream.toArray()) + "]";
        }
    }
}
