package io.queuack.job;

import java.util.Objects;

/**
 * The name a DAG's task is stored under, {@code dag:<dag>:<task>}: how a job says which DAG it belongs to.
 * The runtime names tasks with it, and a store reads the DAG back from it (to file a run's jobs, and to
 * offer a pool only the DAGs it runs). Names of plain tasks never start with {@link #PREFIX}.
 *
 * @param dag  the DAG's name (no {@code :} in it)
 * @param task the task's name within the DAG
 */
public record DagTaskName(String dag, String task) {

    /** What every stored DAG task name starts with. */
    public static final String PREFIX = "dag:";

    public DagTaskName {
        Objects.requireNonNull(dag, "dag");
        Objects.requireNonNull(task, "task");
    }

    /** @return the stored name, {@code dag:<dag>:<task>} */
    public String stored() {
        return PREFIX + dag + ":" + task;
    }

    /** @return whether {@code name} is reserved for DAG tasks */
    public static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }

    /** @return the DAG of a stored task name, or null if {@code name} names no DAG's task */
    public static String dagOf(String name) {
        if (!isReserved(name)) {
            return null;
        }
        int end = name.indexOf(':', PREFIX.length());
        return end < 0 ? null : name.substring(PREFIX.length(), end);
    }
}
