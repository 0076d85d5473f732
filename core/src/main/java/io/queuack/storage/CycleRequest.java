package io.queuack.storage;

import io.queuack.job.DagTaskName;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One round trip of a worker pool to storage, applied in one transaction in this order: store the
 * starts of attempts, store completions, store progress, renew leases, claim new jobs.
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

    /** A round trip that stores no starts. */
    public CycleRequest(String owner, String sessionId, Instant now, Instant leaseUntil, List<Completion> completions,
                        List<ProgressUpdate> progress, boolean renewLeases, List<QueueClaim> claims, Set<String> tasks,
                        Set<String> dags, Long rootRunId) {
        this(owner, sessionId, now, leaseUntil, completions, progress, renewLeases, claims, tasks, dags, rootRunId,
                List.of());
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
