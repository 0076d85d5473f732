package io.queuack.dag;

/** What a DAG task does when it runs. */
public enum TaskKind {
    /** Runs its {@link TaskBody}. */
    TASK,
    /** Runs another DAG as a sub-run; its result is the map of that DAG's final tasks' results. */
    SUB_DAG,
    /** Runs a {@link MapBody} once per element of an upstream task's list; its result is the list of results. */
    MAP
}
