package io.queuack;

import io.queuack.storage.ClaimedJob;
import io.queuack.storage.QueueClaim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides how many jobs a worker pool claims, and from which queues. Used by the dispatcher thread only.
 *
 * <ul>
 *   <li><b>How many</b>: the pool holds at most a buffer limit of jobs (running plus claimed but not
 *       started): the concurrency plus enough jobs to keep the workers busy for three storage round
 *       trips at the measured completion rate, capped by the max claim batch; and nothing ahead once
 *       jobs run longer than a round trip, since a worker that frees up then gets its next job before
 *       it would have used a buffered one (Airflow runs Celery with a prefetch of 1 for the same
 *       reason). Short jobs are thus claimed in big batches, long jobs only as workers free up: nothing
 *       is hoarded that other pools, on other hosts, could run (six parallel DAG tasks go to three idle
 *       hosts, not to the one that finished their parent), and a new high-priority job waits behind
 *       few claimed ones. The rate and round trip are moving averages that rise at once and fall
 *       smoothly, the run time one smoothed both ways, so the limit follows the work within a few round
 *       trips.</li>
 *   <li>A pool started for one DAG run ({@code queue.run(dag)}) claims every ready task up to the max
 *       batch at once: the graph bounds what is ready, and no other work competes for its claims.</li>
 *   <li><b>Which queues</b>: free slots are shared among queues that may have due jobs by smooth
 *       weighted round robin, so over time each queue gets its weight's share and no queue starves.
 *       A queue whose last claim came back short is skipped until it is marked ready again (an
 *       enqueue, a due time, or the poll interval).</li>
 * </ul>
 */
final class ClaimPlanner {

    /** Weight of the newest sample in the moving averages. */
    private static final double SMOOTHING = 0.3;
    /** Round trips of work kept claimed ahead. */
    private static final double ROUND_TRIPS_AHEAD = 3.0;

    private final Map<String, Integer> weights;
    private final int concurrency;
    private final int maxLimit;
    private final boolean claimAllReady;
    private final Map<String, Long> currentWeight = new HashMap<>();
    private final Set<String> ready = new HashSet<>();
    /** Queues whose due jobs a full limit holds back: not ready until a job of the pool ends or a window frees. */
    private final Set<String> held = new HashSet<>();
    private double completionsPerSecond;
    private double roundTripSeconds;
    /** A job's run time, on average; 0 until measured. */
    private double runSeconds;
    private int limit;

    /**
     * @param claimAllReady claim up to the max batch from the start, whatever the rate: for a pool that runs
     *                      one DAG run's tasks, where the graph bounds what is ready and no other work competes
     */
    ClaimPlanner(Map<String, Integer> weights, int concurrency, int maxClaimBatch, boolean claimAllReady) {
        this.weights = new LinkedHashMap<>(weights);
        this.concurrency = concurrency;
        this.maxLimit = concurrency + maxClaimBatch;
        this.claimAllReady = claimAllReady;
        this.limit = claimAllReady ? maxLimit : concurrency;
        this.ready.addAll(weights.keySet());
        weights.keySet().forEach(queue -> currentWeight.put(queue, 0L));
    }

    /** Notes that {@code queue} (or, for null, every queue) may have due jobs. */
    void markReady(String queue) {
        if (queue == null) {
            ready.addAll(weights.keySet());
            held.clear();
        } else if (weights.containsKey(queue)) {
            ready.add(queue);
            held.remove(queue);
        }
    }

    /** A job of the pool ended, which may free a place under a limit: queues held back by one are ready again. */
    void releaseHeld() {
        ready.addAll(held);
        held.clear();
    }

    boolean listensTo(String queue) {
        return queue == null || weights.containsKey(queue);
    }

    /** @return whether a full limit holds back due jobs of some queue */
    boolean holdsBack() {
        return !held.isEmpty();
    }

    /** @return whether no listened queue is ready to claim from (none may have due jobs, or it is paused) */
    boolean isDrained(Set<String> paused) {
        return allPaused(ready, paused);
    }

    /** @return whether every listened queue is known to have no due job (none held back by a limit), or is paused */
    boolean isIdle(Set<String> paused) {
        return allPaused(ready, paused) && allPaused(held, paused);
    }

    private static boolean allPaused(Set<String> queues, Set<String> paused) {
        for (String queue : queues) {
            if (!paused.contains(queue)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records one storage round trip, to size the buffer.
     *
     * @param completed       outcomes it stored
     * @param sinceLastNanos  time since the previous round trip started
     * @param roundTripNanos  how long it took
     * @param meanRunSeconds  how long the jobs whose outcomes it stored ran, on average (0: none, or not measured)
     */
    void observe(int completed, long sinceLastNanos, long roundTripNanos, double meanRunSeconds) {
        if (sinceLastNanos > 0) {
            completionsPerSecond = follow(completionsPerSecond, completed * 1e9 / sinceLastNanos);
        }
        roundTripSeconds = follow(roundTripSeconds, roundTripNanos / 1e9);
        if (meanRunSeconds > 0) {
            // smoothed both ways: on a busy machine a preempted job looks long, and one such round trip must not
            // stop the claims ahead that keep a backlog of short jobs flowing
            runSeconds = runSeconds == 0 ? meanRunSeconds : runSeconds + SMOOTHING * (meanRunSeconds - runSeconds);
        }
        double ahead = Math.ceil(completionsPerSecond * roundTripSeconds * ROUND_TRIPS_AHEAD);
        if (runSeconds > 0 && runSeconds >= roundTripSeconds) {
            ahead = 0;
        }
        limit = claimAllReady ? maxLimit : (int) Math.min(maxLimit, concurrency + ahead);
    }

    /**
     * A moving average that rises at once to a higher sample and falls smoothly: a pool that starts on a
     * backlog of short jobs reaches its full claim batch within a few round trips instead of dozens.
     */
    private static double follow(double average, double sample) {
        return sample > average ? sample : average + SMOOTHING * (sample - average);
    }

    /**
     * @param held   jobs the pool holds (running or buffered), not counting finished ones
     * @param paused queues not to claim from
     * @return what to claim now (empty when nothing should be claimed)
     */
    List<QueueClaim> plan(int held, Set<String> paused) {
        int free = limit - held;
        List<String> active = new ArrayList<>();
        for (String queue : weights.keySet()) {
            if (ready.contains(queue) && !paused.contains(queue)) {
                active.add(queue);
            }
        }
        if (free <= 0 || active.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> shares = share(free, active);
        List<QueueClaim> claims = new ArrayList<>(shares.size());
        shares.forEach((queue, count) -> claims.add(new QueueClaim(queue, count)));
        return claims;
    }

    /**
     * Records what came back: a queue that returned fewer jobs than asked has none due now, or (when it is in
     * {@code heldBack}) has due jobs that a full limit holds back.
     */
    void claimed(List<QueueClaim> asked, List<ClaimedJob> got, Set<String> heldBack) {
        Map<String, Integer> received = new HashMap<>();
        for (ClaimedJob job : got) {
            received.merge(job.queue(), 1, Integer::sum);
        }
        for (QueueClaim claim : asked) {
            if (received.getOrDefault(claim.queue(), 0) < claim.limit()) {
                ready.remove(claim.queue());
                if (heldBack.contains(claim.queue())) {
                    held.add(claim.queue());
                }
            }
        }
    }

    int limit() {
        return limit;
    }

    private Map<String, Integer> share(int free, List<String> active) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        if (active.size() == 1) {
            shares.put(active.get(0), free);
            return shares;
        }
        long total = 0;
        for (String queue : active) {
            total += weights.get(queue);
        }
        for (int slot = 0; slot < free; slot++) {
            String best = null;
            for (String queue : active) {
                long current = currentWeight.merge(queue, (long) weights.get(queue), Long::sum);
                if (best == null || current > currentWeight.get(best)) {
                    best = queue;
                }
            }
            currentWeight.merge(best, -total, Long::sum);
            shares.merge(best, 1, Integer::sum);
        }
        return shares;
    }
}
