package io.queuack.dag;

import io.queuack.job.DependencyMode;
import io.queuack.job.JobOptions;
import io.queuack.job.TaskContext;
import java.util.List;
import java.util.function.Predicate;

/**
 * One task of a {@link Dag}, as declared: its name, upstream tasks, dependency mode, options and code.
 * Immutable; made by {@link DagBuilder}.
 */
public final class TaskDefinition {

    private final String name;
    private final TaskKind kind;
    private final List<String> upstream;
    private final DependencyMode mode;
    private final JobOptions options;
    private final Predicate<TaskContext> condition;
    private final String version;
    private final TaskBody body;
    private final Dag subDag;
    private final String over;
    private final Class<?> elementType;
    private final MapBody<?> mapBody;

    TaskDefinition(String name, TaskKind kind, List<String> upstream, DependencyMode mode, JobOptions options,
                   Predicate<TaskContext> condition, String version, TaskBody body, Dag subDag, String over,
                   Class<?> elementType, MapBody<?> mapBody) {
        this.name = name;
        this.kind = kind;
        this.upstream = List.copyOf(upstream);
        this.mode = mode;
        this.options = options;
        this.condition = condition;
        this.version = version;
        this.body = body;
        this.subDag = subDag;
        this.over = over;
        this.elementType = elementType;
        this.mapBody = mapBody;
    }

    /** @return the task's name, unique in its DAG */
    public String name() {
        return name;
    }

    public TaskKind kind() {
        return kind;
    }

    /** @return its upstream tasks, in declaration order */
    public List<String> upstream() {
        return upstream;
    }

    public DependencyMode mode() {
        return mode;
    }

    /** @return its own options, or null to use the DAG's defaults */
    public JobOptions options() {
        return options;
    }

    /** @return the condition that decides at run time whether it runs (else it is SKIPPED), or null */
    public Predicate<TaskContext> condition() {
        return condition;
    }

    /** @return the code version used when reusing results of unchanged tasks, or null */
    public String version() {
        return version;
    }

    /** @return the code of a {@link TaskKind#TASK} */
    public TaskBody body() {
        return body;
    }

    /** @return the DAG a {@link TaskKind#SUB_DAG} runs */
    public Dag subDag() {
        return subDag;
    }

    /** @return the upstream task whose list a {@link TaskKind#MAP} fans out over */
    public String over() {
        return over;
    }

    /** @return the type a {@link TaskKind#MAP} reads each element as */
    public Class<?> elementType() {
        return elementType;
    }

    /** @return the code a {@link TaskKind#MAP} runs per element */
    public MapBody<?> mapBody() {
        return mapBody;
    }

    @Override
    public String toString() {
        return "Task[" + name + ", " + kind + (upstream.isEmpty() ? "" : ", after " + upstream + " (" + mode + ")") + "]";
    }
}
