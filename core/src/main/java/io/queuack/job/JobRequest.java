package io.queuack.job;

import io.queuack.Queuack;
import java.util.Objects;

/**
 * One job of a mixed batch for {@link Queuack#enqueueAll(java.util.List)}: a task name, its argument
 * and its options (each request may have its own idempotency key).
 *
 * @param task     a registered task name
 * @param argument its argument (JSON-serialisable), or null
 * @param options  its options
 */
public record JobRequest(String task, Object argument, JobOptions options) {

    public JobRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
    }

    /** @return a request with default options */
    public static JobRequest of(String task, Object argument) {
        return new JobRequest(task, argument, JobOptions.defaults());
    }

    /** @return this request with other options */
    public JobRequest with(JobOptions newOptions) {
        return new JobRequest(task, argument, newOptions);
    }
}
