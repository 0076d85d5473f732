package io.queuack.job;

/**
 * A named task's code: takes the job's context and its argument (deserialised from JSON into the
 * type given at registration) and returns a result that Jackson can write as JSON, or null.
 *
 * <pre>{@code
 * queue.register("greet", String.class, (ctx, name) -> "Hello, " + name);
 * }</pre>
 *
 * @param <A> the argument type
 */
@FunctionalInterface
public interface Task<A> {

    /**
     * @param context  the running job: attempt number, progress reporting, cancellation
     * @param argument the job's argument, or null if it was enqueued without one
     * @return the result to store as JSON, or null
     * @throws Exception any failure; the attempt then counts as failed and is retried while attempts remain
     */
    Object run(JobContext context, A argument) throws Exception;
}
