package io.queuack.dag;

import io.queuack.draw.Drawable;
import io.queuack.draw.Picture;
import io.queuack.job.JobOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated graph of named tasks: a template that runs many times with different parameters. Every
 * task of a run is a job on the durable queue, so a run survives a crash and resumes. Build one with
 * {@link #builder(String)}; run it with {@code queue.run(dag)} (blocking) or {@code queue.submit(dag)}.
 * Immutable.
 */
public final class Dag implements Drawable {

    private final String name;
    private final String description;
    private final JobOptions defaults;
    private final List<TaskDefinition> tasks;
    private final Map<String, TaskDefinition> byName = new LinkedHashMap<>();
    private final List<List<String>> levels;
    private final List<String> sinks;

    Dag(String name, String description, JobOptions defaults, List<TaskDefinition> tasks) {
        this.name = name;
        this.description = description;
        this.defaults = defaults;
        this.tasks = List.copyOf(tasks);
        tasks.forEach(task -> byName.put(task.name(), task));
        this.levels = DagValidator.levels(this.tasks, byName);
        this.sinks = DagValidator.sinks(this.tasks);
    }

    /** @param name 1-100 letters, digits or {@code _ . -}; registered task names derive from it */
    public static DagBuilder builder(String name) {
        return new DagBuilder(name);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** @return the options of tasks that set none */
    public JobOptions defaults() {
        return defaults;
    }

    /** @return the tasks, in declaration order */
    public List<TaskDefinition> tasks() {
        return tasks;
    }

    /** @return the task named {@code name} */
    public TaskDefinition task(String name) {
        TaskDefinition task = byName.get(Objects.requireNonNull(name, "task name"));
        if (task == null) {
            throw new IllegalArgumentException("DAG '" + this.name + "' has no task named '" + name + "'; its tasks are "
                    + byName.keySet());
        }
        return task;
    }

    /** @return the tasks by depth: level 0 has no upstream tasks, each task sits one below its deepest upstream */
    public List<List<String>> levels() {
        return levels;
    }

    /** @return the tasks no other task depends on (a sub-DAG's result is theirs) */
    public List<String> finalTasks() {
        return sinks;
    }

    /** @return the options a task runs with: its own, or the DAG's defaults */
    public JobOptions optionsOf(TaskDefinition task) {
        return task.options() == null ? defaults : task.options();
    }

    /** @return a picture of the DAG: its tasks, dependencies (dashed for ANY mode) and sub-DAGs as groups */
    @Override
    public Picture picture() {
        return new DefinitionDrawing().draw(this, "");
    }

    @Override
    public String toString() {
        return "Dag[" + name + ", " + tasks.size() + " tasks]";
    }
}
