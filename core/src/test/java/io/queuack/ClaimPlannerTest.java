package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Backoff;
import io.queuack.storage.ClaimedJob;
import io.queuack.storage.QueueClaim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimPlannerTest {

    private static ClaimPlanner planner(int concurrency, Object... queueWeights) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (int i = 0; i < queueWeights.length; i += 2) {
            weights.put((String) queueWeights[i], (Integer) queueWeights[i + 1]);
        }
        return new ClaimPlanner(weights, concurrency, 1000, false);
    }

    private static List<ClaimedJob> jobs(String queue, int count) {
        List<ClaimedJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new ClaimedJob(i, queue, "t", null, 50, 1, 3, Backoff.DEFAULT, null, null, null, false, java.time.Instant.EPOCH));
        }
        return jobs;
    }

    @Test
    void slotsAreSharedByWeightOverTime() {
        ClaimPlanner planner = planner(1, "a", 3, "b", 1);
        Map<String, Integer> total = new LinkedHashMap<>();
        for (int round = 0; round < 400; round++) {
            for (QueueClaim claim : planner.plan(0, Set.of())) {
                total.merge(claim.queue(), claim.limit(), Integer::sum);
            }
        }
        assertEquals(Map.of("a", 300, "b", 100), total);
    }

    @Test
    void aQueueThatCameBackShortIsSkippedUntilMarkedReady() {
        ClaimPlanner planner = planner(4, "a", 1, "b", 1);
        List<QueueClaim> first = planner.plan(0, Set.of());
        assertEquals(2, first.size());
        planner.claimed(first, jobs("b", 2), Set.of());
        assertEquals(List.of(new QueueClaim("b", 4)), planner.plan(0, Set.of()));
        planner.claimed(List.of(new QueueClaim("b", 4)), jobs("b", 1), Set.of());
        assertTrue(planner.isDrained(Set.of()));
        assertTrue(planner.plan(0, Set.of()).isEmpty());
        planner.markReady("a");
        assertFalse(planner.isDrained(Set.of()));
        assertTrue(planner.isDrained(Set.of("a")), "a paused queue counts as drained");
        assertEquals(List.of(new QueueClaim("a", 4)), planner.plan(0, Set.of()));
    }

    @Test
    void theBufferFollowsTheMeasuredCompletionRate() {
        ClaimPlanner planner = planner(4, "q", 1);
        assertEquals(4, planner.limit());
        for (int i = 0; i < 30; i++) {
            planner.observe(5_000, 100_000_000L, 5_000_000L, 0);
        }
        assertTrue(planner.limit() > 500, "fast jobs: claim ahead, limit " + planner.limit());
        assertTrue(planner.limit() <= 1004);
        for (int i = 0; i < 30; i++) {
            planner.observe(1, 1_000_000_000L, 5_000_000L, 0);
        }
        assertEquals(5, planner.limit(), "slow jobs: claim one beyond the workers");
        assertEquals(1, planner.plan(4, Set.of()).get(0).limit());
        assertTrue(planner.plan(5, Set.of()).isEmpty(), "no claim while the pool is full");
    }

    @Test
    void aBacklogOfShortJobsReachesTheFullBatchWithinAFewRoundTrips() {
        ClaimPlanner planner = planner(2, "q", 1);
        int roundTrips = 0;
        // each 20 ms round trip stores everything the previous one claimed: no-op jobs, storage-bound
        for (int claimed = planner.limit(); planner.limit() < 1002; claimed = planner.limit()) {
            planner.observe(claimed, 20_000_000L, 20_000_000L, 0);
            roundTrips++;
        }
        assertTrue(roundTrips <= 8, "took " + roundTrips + " round trips");
        for (int i = 0; i < 3; i++) {
            planner.observe(1_000, 20_000_000L, 20_000_000L, 0);
        }
        planner.observe(10, 20_000_000L, 20_000_000L, 0);
        assertTrue(planner.limit() > 500, "one slow round trip does not empty the buffer, limit " + planner.limit());
    }

    /**
     * Two 700 ms tasks finishing in one quick round trip look like a high completion rate; the run time says their
     * pool should not claim the six tasks they unblock when other pools (other hosts) are free to take some.
     */
    @Test
    void longJobsAreNotClaimedAheadWhenTheyFinishCloseTogether() {
        ClaimPlanner planner = planner(2, "q", 1);
        planner.observe(2, 2_000_000L, 5_000_000L, 0.7);
        assertEquals(2, planner.limit(), "claim only for free workers");
        assertEquals(List.of(new QueueClaim("q", 2)), planner.plan(0, Set.of()));
        ClaimPlanner measuredByRateOnly = planner(2, "q", 1);
        measuredByRateOnly.observe(2, 2_000_000L, 5_000_000L, 0);
        assertTrue(measuredByRateOnly.limit() > 6, "the rate alone would have claimed ahead: "
                + measuredByRateOnly.limit());
        ClaimPlanner afterAShortParent = planner(2, "q", 1);
        afterAShortParent.observe(1, 1_000_000L, 5_000_000L, 0.006);
        assertEquals(2, afterAShortParent.limit(), "a job longer than a round trip: nothing claimed ahead");
        for (int i = 0; i < 30; i++) {
            planner.observe(5_000, 100_000_000L, 5_000_000L, 0.000_01);
        }
        assertTrue(planner.limit() > 500, "short jobs again: claim ahead, limit " + planner.limit());
        planner.observe(5_000, 100_000_000L, 5_000_000L, 0.01);
        assertTrue(planner.limit() > 500, "one round trip of jobs that look long (preempted, say) changes little, limit "
                + planner.limit());
        for (int i = 0; i < 10; i++) {
            planner.observe(5, 1_000_000_000L, 5_000_000L, 0.5);
        }
        assertEquals(2, planner.limit(), "long jobs again: nothing ahead");
    }

    @Test
    void aPoolForOneDagRunClaimsEveryReadyTaskAtOnce() {
        ClaimPlanner planner = new ClaimPlanner(Map.of("q", 1), 2, 1000, true);
        assertEquals(List.of(new QueueClaim("q", 1002)), planner.plan(0, Set.of()));
        planner.observe(1, 1_000_000_000L, 5_000_000L, 0);
        assertEquals(1002, planner.limit(), "slow tasks do not shrink it: the graph bounds what is ready");
    }
}
