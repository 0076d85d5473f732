package io.queuack.dag;

import io.queuack.job.TaskContext;

/**
 * The code of a DAG task. It reads upstream results and run parameters from its context and returns a
 * JSON-serialisable result, or null. It may also return a {@link java.util.concurrent.CompletionStage}:
 * an async task, which holds no thread while it waits; its run's concurrency limit still counts it.
 * Throw to fail the attempt; throw {@link io.queuack.error.TaskSkippedException} to end as SKIPPED.
 *
 * <p>Tasks that need no context can be given as a {@code Callable} or a {@code Runnable} instead.
 */
@FunctionalInterface
public interface TaskBody {

    /**
     * @param context the task's context: upstream results, parameters, progress, cancellation
     * @return the result, or null, or a {@code CompletionStage} of it
     * @throws Exception any failure
     */
    Object run(TaskContext context) throws Exception;
}
