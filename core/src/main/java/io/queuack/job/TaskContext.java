package io.queuack.job;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.error.NonRetryableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a DAG task sees while it runs: everything a {@link JobContext} offers, plus its run, its
 * upstream tasks' results and the run's parameters. Results and parameters are stored as JSON and read
 * back into the type you ask for; without a type they come back as JSON trees ({@code Map}, {@code
 * List}, {@code String}, {@code Number}, {@code Boolean}).
 *
 * <p>Also reachable from helper code on the task's thread: {@link #current()}.
 */
public interface TaskContext extends JobContext {

    /** @return the DAG run this task belongs to */
    long runId();

    /** @return this task's name in its DAG */
    String taskName();

    /**
     * @return this run's folder inside the queue's {@link #dataDirectory()}, {@code runs/<runId>}, for the files its
     *         tasks write (created on first call)
     */
    Path runDirectory();

    /** @return the names of this task's upstream tasks, in the order they were declared */
    List<String> upstreamNames();

    /** @return whether {@code name} is an upstream task of this one and has succeeded */
    boolean hasUpstream(String name);

    /**
     * @return the result of upstream task {@code name}, read as {@code type} (null if it returned null)
     * @throws NonRetryableException if {@code name} is not an upstream task of this one (the task fails at once)
     * @throws IllegalStateException if it has not succeeded (possible in ANY mode)
     */
    <T> T upstream(String name, Class<T> type);

    /** Like {@link #upstream(String, Class)}, for generic types: {@code new TypeReference<List<Row>>() {}}. */
    <T> T upstream(String name, TypeReference<T> type);

    /** @return the result of upstream task {@code name}, or {@code fallback} if it did not succeed */
    <T> T upstreamOr(String name, Class<T> type, T fallback);

    /**
     * @return the results of the upstream tasks that succeeded, by name, in declaration order. In ANY mode
     *         these are the upstream tasks that had finished when this task started.
     */
    Map<String, Object> upstreamResults();

    /** @return the run's parameters (empty if it was started without) */
    Map<String, Object> parameters();

    /**
     * @return the run parameter {@code name}, read as {@code type}
     * @throws NonRetryableException if the run has no such parameter (the task fails at once)
     */
    <T> T parameter(String name, Class<T> type);

    /** @return the run parameter {@code name}, or {@code fallback} if the run has none of that name */
    <T> T parameterOr(String name, Class<T> type, T fallback);

    /** @return the context of the DAG task running on the current thread, if any */
    static Optional<TaskContext> current() {
        return JobContext.current().filter(TaskContext.class::isInstance).map(TaskContext.class::cast);
    }
}
