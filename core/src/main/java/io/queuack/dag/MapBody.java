package io.queuack.dag;

import io.queuack.job.TaskContext;

/**
 * The code a fan-out task runs once per element of an upstream task's list.
 *
 * @param <E> the element type
 */
@FunctionalInterface
public interface MapBody<E> {

    /**
     * @param context the context of this element's task
     * @param element one element of the upstream list
     * @return this element's result (JSON-serialisable), or null, or a {@code CompletionStage} of it
     * @throws Exception any failure
     */
    Object apply(TaskContext context, E element) throws Exception;
}
