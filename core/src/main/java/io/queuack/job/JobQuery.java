package io.queuack.job;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A filter for listing jobs: statuses, queue, task, order and limit. Immutable.
 *
 * <pre>{@code
 * List<Job> dead = queue.jobs(JobQuery.all().status(JobStatus.DEAD).queue("mail").newestFirst().limit(20));
 * }</pre>
 */
public final class JobQuery {

    /** Default number of jobs returned. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest number of jobs one query returns. */
    public static final int MAX_LIMIT = 100_000;

    private final Set<JobStatus> statuses;
    private final String queue;
    private final String task;
    private final boolean newestFirst;
    private final int limit;

    private JobQuery(Set<JobStatus> statuses, String queue, String task, boolean newestFirst, int limit) {
        this.statuses = statuses;
        this.queue = queue;
        this.task = task;
        this.newestFirst = newestFirst;
        this.limit = limit;
    }

    /** @return a query for every job, oldest first, at most {@value #DEFAULT_LIMIT} */
    public static JobQuery all() {
        return new JobQuery(Collections.unmodifiableSet(EnumSet.allOf(JobStatus.class)), null, null, false, DEFAULT_LIMIT);
    }

    /**
     * @param first a status to keep
     * @param more  more statuses to keep
     * @return a query that keeps only jobs in one of these statuses
     */
    public JobQuery status(JobStatus first, JobStatus... more) {
        Objects.requireNonNull(first, "status");
        EnumSet<JobStatus> set = EnumSet.of(first, more);
        return new JobQuery(Collections.unmodifiableSet(set), queue, task, newestFirst, limit);
    }

    /** @param statuses keep only jobs in one of these statuses (at least one) */
    public JobQuery status(Set<JobStatus> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            throw new IllegalArgumentException("Give at least one status to filter on; use JobQuery.all() for every status");
        }
        return new JobQuery(Collections.unmodifiableSet(EnumSet.copyOf(statuses)), queue, task, newestFirst, limit);
    }

    /** @param queue keep only jobs of this named queue */
    public JobQuery queue(String queue) {
        return new JobQuery(statuses, JobOptions.checkQueueName(queue), task, newestFirst, limit);
    }

    /** @param task keep only jobs of this task */
    public JobQuery task(String task) {
        return new JobQuery(statuses, queue, Objects.requireNonNull(task, "task"), newestFirst, limit);
    }

    /** @return the query, newest job (highest id) first */
    public JobQuery newestFirst() {
        return new JobQuery(statuses, queue, task, true, limit);
    }

    /** @param limit how many jobs at most, 1 to {@value #MAX_LIMIT} */
    public JobQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return new JobQuery(statuses, queue, task, newestFirst, limit);
    }

    public Set<JobStatus> statuses() {
        return statuses;
    }

    /** @return the queue filter, or null */
    public String queue() {
        return queue;
    }

    /** @return the task filter, or null */
    public String task() {
        return task;
    }

    public boolean isNewestFirst() {
        return newestFirst;
    }

    public int limit() {
        return limit;
    }

    /** @return whether {@code job} passes the filters (limit and order aside) */
    public boolean matches(Job job) {
        return statuses.contains(job.status())
                && (queue == null || queue.equals(job.queue()))
                && (task == null || task.equals(job.task()));
    }
}
