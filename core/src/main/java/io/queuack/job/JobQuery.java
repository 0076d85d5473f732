package io.queuack.job;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A filter for listing jobs: statuses, queue, task, enqueue time, an id to page from, order and limit. Immutable.
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
    private final Instant enqueuedFrom;
    private final Instant enqueuedTo;
    private final Long idBelow;

    private JobQuery(Set<JobStatus> statuses, String queue, String task, boolean newestFirst, int limit,
                     Instant enqueuedFrom, Instant enqueuedTo, Long idBelow) {
        this.statuses = statuses;
        this.queue = queue;
        this.task = task;
        this.newestFirst = newestFirst;
        this.limit = limit;
        this.enqueuedFrom = enqueuedFrom;
        this.enqueuedTo = enqueuedTo;
        this.idBelow = idBelow;
    }

    /** @return a query for every job, oldest first, at most {@value #DEFAULT_LIMIT} */
    public static JobQuery all() {
        return new JobQuery(Collections.unmodifiableSet(EnumSet.allOf(JobStatus.class)), null, null, false, DEFAULT_LIMIT,
                null, null, null);
    }

    /**
     * @param from keep jobs enqueued at or after this time, or null for no lower bound
     * @param to   keep jobs enqueued before this time, or null for no upper bound
     * @return the query with that enqueue-time window
     */
    public JobQuery enqueuedBetween(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("The window's start " + from + " must be before its end " + to);
        }
        return new JobQuery(statuses, queue, task, newestFirst, limit, from, to, idBelow);
    }

    /**
     * @param id keep jobs whose id is below this one: with {@link #newestFirst()}, the next page after a page whose
     *           last job had this id
     * @return the query from that id on
     */
    public JobQuery idBelow(long id) {
        return new JobQuery(statuses, queue, task, newestFirst, limit, enqueuedFrom, enqueuedTo, id);
    }

    /**
     * @param first a status to keep
     * @param more  more statuses to keep
     * @return a query that keeps only jobs in one of these statuses
     */
    public JobQuery status(JobStatus first, JobStatus... more) {
        Objects.requireNonNull(first, "status");
        EnumSet<JobStatus> set = EnumSet.of(first, more);
        return new JobQuery(Collections.unmodifiableSet(set), queue, task, newestFirst, limit, enqueuedFrom, enqueuedTo,
                idBelow);
    }

    /** @param statuses keep only jobs in one of these statuses (at least one) */
    public JobQuery status(Set<JobStatus> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            throw new IllegalArgumentException("Give at least one status to filter on; use JobQuery.all() for every status");
        }
        return new JobQuery(Collections.unmodifiableSet(EnumSet.copyOf(statuses)), queue, task, newestFirst, limit,
                enqueuedFrom, enqueuedTo, idBelow);
    }

    /** @param queue keep only jobs of this named queue */
    public JobQuery queue(String queue) {
        return new JobQuery(statuses, JobOptions.checkQueueName(queue), task, newestFirst, limit, enqueuedFrom, enqueuedTo,
                idBelow);
    }

    /** @param task keep only jobs of this task */
    public JobQuery task(String task) {
        return new JobQuery(statuses, queue, Objects.requireNonNull(task, "task"), newestFirst, limit, enqueuedFrom,
                enqueuedTo, idBelow);
    }

    /** @return the query, newest job (highest id) first */
    public JobQuery newestFirst() {
        return new JobQuery(statuses, queue, task, true, limit, enqueuedFrom, enqueuedTo, idBelow);
    }

    /** @param limit how many jobs at most, 1 to {@value #MAX_LIMIT} */
    public JobQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("Limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return new JobQuery(statuses, queue, task, newestFirst, limit, enqueuedFrom, enqueuedTo, idBelow);
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

    /** @return the start of the enqueue-time window (inclusive), or null */
    public Instant enqueuedFrom() {
        return enqueuedFrom;
    }

    /** @return the end of the enqueue-time window (exclusive), or null */
    public Instant enqueuedTo() {
        return enqueuedTo;
    }

    /** @return the id jobs must be below, or null */
    public Long idBelow() {
        return idBelow;
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
                && (task == null || task.equals(job.task()))
                && (enqueuedFrom == null || !job.createdAt().isBefore(enqueuedFrom))
                && (enqueuedTo == null || job.createdAt().isBefore(enqueuedTo))
                && (idBelow == null || job.id() < idBelow);
    }
}
