package io.queuack.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.JobLimit;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Limits as every backend must keep them: stored and listed alike, and obeyed by claims (running bounds per
 * queue, task and key, key patterns, start windows), with the queues they held back reported.
 */
public abstract class LimitStorageContractTest extends StoreFixture {

    private static final String SESSION = "session-1";

    private static JobBatch batch(String queue, String task, int count, String limitKey) {
        List<String> args = IntStream.range(0, count).mapToObj(i -> "{\"n\":" + i + "}").collect(Collectors.toList());
        return new JobBatch(queue, task, null, 50, 3, Backoff.DEFAULT, null, T0, T0, null, args, null, limitKey);
    }

    private CycleResult claim(String queue, int limit, Instant now) {
        return storage.cycle(CycleRequest.of(OWNER, SESSION, now).leaseUntil(now.plusSeconds(300))
                .claims(List.of(new QueueClaim(queue, limit)), Set.of("t", "u"), Set.of("d")).build());
    }

    private void succeed(List<ClaimedJob> jobs, Instant now) {
        storage.cycle(CycleRequest.of(OWNER, SESSION, now).completions(jobs.stream()
                .map(job -> Completion.succeeded(job.id(), job.attempt(), now, now, "1")).toList()).build());
    }

    private Map<String, Long> byKey(List<ClaimedJob> claimed) {
        Map<String, Long> counts = new HashMap<>();
        for (ClaimedJob job : claimed) {
            counts.merge(String.valueOf(storage.find(job.id()).orElseThrow().limitKey()), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void limitsAreStoredReplacedListedAndDeleted() {
        assertTrue(storage.limits().isEmpty());
        storage.putLimit(JobLimit.task("t").maxRunning(2), T0);
        storage.putLimit(JobLimit.queue("q").maxStarts(5, Duration.ofMinutes(1)), T0);
        storage.putLimit(JobLimit.key("account-*").maxRunning(1).maxStarts(3, Duration.ofSeconds(10)), T0);
        storage.putLimit(JobLimit.task("t").maxRunning(4), T0);
        assertEquals(List.of(JobLimit.key("account-*").maxRunning(1).maxStarts(3, Duration.ofSeconds(10)),
                JobLimit.queue("q").maxStarts(5, Duration.ofMinutes(1)), JobLimit.task("t").maxRunning(4)),
                storage.limits());
        assertTrue(storage.deleteLimit(JobLimit.Scope.TASK, "t"));
        assertFalse(storage.deleteLimit(JobLimit.Scope.TASK, "t"));
        assertEquals(2, storage.limits().size());
    }

    @Test
    void aQueueLimitBoundsRunningJobsAndReportsTheQueueHeld() {
        storage.insert(List.of(batch("q", "t", 10, null)));
        storage.putLimit(JobLimit.queue("q").maxRunning(3), T0);
        CycleResult first = claim("q", 10, T0);
        assertEquals(3, first.claimed().size());
        assertEquals(Set.of("q"), first.held());
        assertTrue(claim("q", 10, T0).claimed().isEmpty());
        succeed(first.claimed().subList(0, 2), T0);
        assertEquals(2, claim("q", 10, T0).claimed().size());
        assertEquals(3, storage.limitUsage(T0).running().get("queue:q"));
    }

    @Test
    void nothingIsHeldWhenEveryDueJobWasClaimed() {
        storage.insert(List.of(batch("q", "t", 3, null)));
        storage.putLimit(JobLimit.queue("q").maxRunning(5), T0);
        CycleResult result = claim("q", 10, T0);
        assertEquals(3, result.claimed().size());
        assertTrue(result.held().isEmpty());
        assertNull(result.limitFree());
    }

    @Test
    void aTaskLimitCountsTheTaskOnEveryQueue() {
        storage.insert(List.of(batch("q1", "t", 5, null), batch("q2", "t", 5, null), batch("q2", "u", 5, null)));
        storage.putLimit(JobLimit.task("t").maxRunning(3), T0);
        CycleResult result = storage.cycle(CycleRequest.of(OWNER, SESSION, T0).leaseUntil(T0.plusSeconds(300))
                .claims(List.of(new QueueClaim("q1", 10), new QueueClaim("q2", 10)), Set.of("t", "u"), Set.of())
                .build());
        Map<String, Long> tasks = result.claimed().stream().collect(Collectors.groupingBy(ClaimedJob::task,
                Collectors.counting()));
        assertEquals(Map.of("t", 3L, "u", 5L), tasks);
        assertEquals(Set.of("q1", "q2"), result.held());
    }

    @Test
    void aKeyPatternCountsEachKeyOnItsOwnAndAnExactKeyLimitWins() {
        storage.insert(List.of(batch("q", "t", 4, "account-1"), batch("q", "t", 4, "account-2"),
                batch("q", "t", 4, "account-3"), batch("q", "t", 2, "other"), batch("q", "t", 2, null)));
        storage.putLimit(JobLimit.key("account-*").maxRunning(1), T0);
        storage.putLimit(JobLimit.key("account-3").maxRunning(2), T0);
        CycleResult result = claim("q", 100, T0);
        assertEquals(Map.of("account-1", 1L, "account-2", 1L, "account-3", 2L, "other", 2L, "null", 2L),
                byKey(result.claimed()));
        assertEquals(Set.of("q"), result.held());
        assertTrue(claim("q", 100, T0).claimed().isEmpty(), "every key is full");
        assertEquals(1, storage.limitUsage(T0).running().get("key:account-1"));
    }

    @Test
    void aClaimThatTookTheFirstJobOfEveryKeyIsHeldForTheRest() {
        storage.insert(List.of(batch("q", "t", 3, "k-1"), batch("q", "t", 3, "k-2")));
        storage.putLimit(JobLimit.key("k-*").maxRunning(1), T0);
        CycleResult result = claim("q", 10, T0);
        assertEquals(2, result.claimed().size());
        assertEquals(Set.of("q"), result.held(), "their other jobs wait for them");
    }

    @Test
    void aLongBacklogOfOneKeyDoesNotCrowdOutTheOthers() {
        storage.insert(List.of(batch("q", "t", 500, "busy"), batch("q", "t", 3, "quiet-1"), batch("q", "t", 3, "quiet-2")));
        storage.putLimit(JobLimit.key("busy").maxRunning(1), T0);
        storage.putLimit(JobLimit.key("quiet-*").maxRunning(1), T0);
        assertEquals(Map.of("busy", 1L, "quiet-1", 1L, "quiet-2", 1L), byKey(claim("q", 4, T0).claimed()));
        assertTrue(claim("q", 4, T0).claimed().isEmpty());
    }

    @Test
    void aStartWindowSlidesAndSaysWhenItFrees() {
        storage.insert(List.of(batch("q", "t", 10, null)));
        storage.putLimit(JobLimit.task("t").maxStarts(4, Duration.ofMinutes(1)), T0);
        CycleResult first = claim("q", 3, T0);
        assertEquals(3, first.claimed().size());
        succeed(first.claimed(), T0);
        CycleResult second = claim("q", 10, T0.plusSeconds(4));
        assertEquals(1, second.claimed().size(), "4 starts in any minute");
        assertEquals(Set.of("q"), second.held());
        CycleResult third = claim("q", 10, T0.plusSeconds(59));
        assertTrue(third.claimed().isEmpty());
        assertEquals(T0.plusSeconds(61), third.limitFree(), "counted in 1 s buckets: the first bucket ends at T0 + 1 s");
        assertTrue(claim("q", 10, T0.plusSeconds(60)).claimed().isEmpty());
        assertEquals(3, claim("q", 10, T0.plusSeconds(61)).claimed().size(), "the first three left the window");
        assertEquals(4, storage.limitUsage(T0.plusSeconds(61)).starts().get("task:t").count());
    }

    @Test
    void aStartBoundHoldsFromTheFirstClaimOn() {
        storage.insert(List.of(batch("q", "t", 10, "k")));
        storage.putLimit(JobLimit.queue("q").maxStarts(3, Duration.ofMinutes(1)), T0);
        storage.putLimit(JobLimit.key("k").maxStarts(5, Duration.ofMinutes(1)), T0);
        CycleResult result = claim("q", 10, T0);
        assertEquals(3, result.claimed().size());
        assertEquals(Set.of("q"), result.held());
        assertEquals(T0.plusSeconds(61), claim("q", 10, T0).limitFree());
    }

    @Test
    void limitsTakeEffectAndEndAtOnce() {
        storage.insert(List.of(batch("q", "t", 6, "k")));
        storage.putLimit(JobLimit.key("k").maxRunning(1), T0);
        assertEquals(1, claim("q", 10, T0).claimed().size());
        assertTrue(storage.deleteLimit(JobLimit.Scope.KEY, "k"));
        assertEquals(5, claim("q", 10, T0).claimed().size());
    }

    @Test
    void jobsAndDagTasksKeepTheirLimitKey() {
        long id = storage.insert(List.of(batch("q", "t", 1, "account-9"))).get(0).ids()[0];
        assertEquals("account-9", storage.find(id).orElseThrow().limitKey());
        RunInserted run = storage.insertRun(new RunPlan("d", null, null, null, null, T0, List.of(
                new PlannedTask("a", "dag:d:a", null, "q", 50, 1, Backoff.NONE, null, DependencyMode.ALL, new int[0],
                        "nightly"),
                new PlannedTask("b", "dag:d:b", null, "q", 50, 1, Backoff.NONE, null, DependencyMode.ALL, new int[] {0},
                        null))));
        assertEquals("nightly", storage.find(run.jobIds()[0]).orElseThrow().limitKey());
        assertNull(storage.find(run.jobIds()[1]).orElseThrow().limitKey());
        storage.putLimit(JobLimit.key("nightly").maxRunning(1), T0);
        storage.putLimit(JobLimit.key("account-9").maxRunning(1), T0);
        assertEquals(2, claim("q", 10, T0).claimed().size());
        assertEquals(JobStatus.RUNNING, storage.find(run.jobIds()[0]).orElseThrow().status());
    }
}
