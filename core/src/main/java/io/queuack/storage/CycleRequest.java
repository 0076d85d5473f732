package io.queuack.storage;

import io.queuack.job.DagTaskName;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One round trip of a worker pool to storage, applied in one transaction in this order: store the
 * starts of attempts, store completions, store progress, renew leases, claim new jobs. Build one with
 * {@link #of} and the builder's named setters, e.g.
 * {@code CycleRequest.of(pool, session, now).leaseUntil(now.plusSeconds(30)).completions(done).build()}.
 *
 * @param owner       the worker pool's id; claims and leases carry it
 * @param sessionId   the session of the queue; in-process jobs of this session may be claimed
 * @param now         the current time
 * @param leaseUntil  lease end for claimed and renewed jobs
 * @param completions outcomes to store (fenced by owner and attempt)
 * @param progress    progress of running jobs (fenced by owner)
 * @param renewLeases whether to extend the lease of every job the owner holds
 * @param claims      queues to claim from, in order
 * @param tasks       only jobs of these tasks may be claimed (the tasks this process can run)...
 * @param dags        ...and jobs of the tasks of these DAGs ({@code dag:<dag>:<task>} task names)
 * @param rootRunId   only jobs of this DAG run tree may be claimed, or null for any job
 * @param started     running jobs of this owner whose attempt started: from now on a crash charges them an
 *                    attempt (see {@link Storage#recoverExpiredLeases})
 */
public record CycleRequest(String owner, String sessionId, Instant now, Instant leaseUntil, List<Completion> completions,
                           List<ProgressUpdate> progress, boolean renewLeases, List<QueueClaim> claims, Set<String> tasks,
                           Set<String> dags, Long rootRunId, List<Long> started) {

    /**
     * @return a round trip of pool {@code owner} at {@code now} that stores and claims nothing yet; name what it
     *         carries with the builder's setters
     */
    public static Builder of(String owner, String sessionId, Instant now) {
        return new Builder(owner, sessionId, now);
    }

    /** Builds a {@link CycleRequest} field by field; unset fields are empty (the lease ends {@code now}). */
    public static final class Builder {
        private final String owner;
        private final String sessionId;
        private final Instant now;
        private Instant leaseUntil;
        private List<Completion> completions = List.of();
        private List<ProgressUpdate> progress = List.of();
        private boolean renewLeases;
        private List<QueueClaim> claims = List.of();
        private Set<String> tasks = Set.of();
        private Set<String> dags = Set.of();
        private Long rootRunId;
        private List<Long> started = List.of();

        private Builder(String owner, String sessionId, Instant now) {
            this.owner = owner;
            this.sessionId = sessionId;
            this.now = now;
            this.leaseUntil = now;
        }

        /** Claimed and renewed jobs are leased until {@code time}. */
        public Builder leaseUntil(Instant time) {
            leaseUntil = time;
            return this;
        }

        /** Stores these outcomes. */
        public Builder completions(List<Completion> outcomes) {
            completions = outcomes;
            return this;
        }

        /** Stores the progress of these running jobs. */
        public Builder progress(List<ProgressUpdate> updates) {
            progress = updates;
            return this;
        }

        /** Extends the lease of every job the owner holds. */
        public Builder renewLeases() {
            renewLeases = true;
            return this;
        }

        /** Extends the leases if {@code renew}. */
        public Builder renewLeases(boolean renew) {
            renewLeases = renew;
            return this;
        }

        /** Claims from these queues, in order, jobs of {@code tasks} and of the tasks of {@code dags}. */
        public Builder claims(List<QueueClaim> queues, Set<String> taskNames, Set<String> dagNames) {
            claims = queues;
            tasks = taskNames;
            dags = dagNames;
            return this;
        }

        /** Claims only jobs of this DAG run tree (null: any job). */
        public Builder rootRunId(Long runId) {
            rootRunId = runId;
            return this;
        }

        /** Stores that the attempts of these running jobs started. */
        public Builder started(List<Long> jobIds) {
            started = jobIds;
            return this;
        }

        public CycleRequest build() {
            return new CycleRequest(owner, sessionId, now, leaseUntil, completions, progress, renewLeases, claims,
                    tasks, dags, rootRunId, started);
        }
    }

    /** @return whether this request lets a job of {@code task} be claimed */
    public boolean offers(String task) {
        if (tasks.contains(task)) {
            return true;
        }
        String dag = DagTaskName.dagOf(task);
        return dag != null && dags.contains(dag);
    }
}
