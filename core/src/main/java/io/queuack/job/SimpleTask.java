package io.queuack.job;

/**
 * Task code without an argument: a named task registered without an argument type, or an
 * in-process lambda enqueued directly. Return a JSON-serialisable result, or null.
 *
 * <pre>{@code
 * long id = queue.enqueue(ctx -> { ctx.progress(0.5, "half way"); return 42; });
 * }</pre>
 */
@FunctionalInterface
public interface SimpleTask {

    /**
     * @param context the running job
     * @return the result to store as JSON, or null
     * @throws Exception any failure; the attempt then counts as failed
     */
    Object run(JobContext context) throws Exception;
}
