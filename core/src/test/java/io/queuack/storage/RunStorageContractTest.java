package io.queuack.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How every {@link Storage} backend keeps DAG runs: atomic insertion, unblocking and skipping of
 * downstream tasks (ALL and ANY), run status, retries that reopen a run, cancellation, sub-runs.
 */
public abstract class RunStorageContractTest extends StoreFixture {

    // ---------------------------------------------------------------- a small DSL for plans

    /** Builds a plan: {@code task("b", ALL, "a")} adds task b downstream of a. */
    private static final class Plan {
        final Map<String, PlannedTask> tasks = new LinkedHashMap<>();
        final List<String> order = new ArrayList<>();

        Plan task(String node, DependencyMode mode, String... parents) {
            int[] indexes = new int[parents.length];
            for (int i = 0; i < parents.length; i++) {
                indexes[i] = order.indexOf(parents[i]);
            }
            tasks.put(node, new PlannedTask(node, "t", "\"" + node + "\"", "q", 50, 1, Backoff.NONE, null, mode, indexes, null));
            order.add(node);
            return this;
        }

        Plan task(String node, String... parents) {
            return task(node, DependencyMode.ALL, parents);
        }

        RunPlan build(String dag) {
            return new RunPlan(dag, "{\"day\":\"monday\"}", "{\"concurrency\":4}", null, null, T0,
                    new ArrayList<>(tasks.values()));
        }
    }

    private Map<String, Long> insert(Plan plan) {
        RunInserted inserted = storage.insertRun(plan.build("etl"));
        Map<String, Long> ids = new LinkedHashMap<>();
        for (int i = 0; i < plan.order.size(); i++) {
            ids.put(plan.order.get(i), inserted.jobIds()[i]);
        }
        ids.put("run", inserted.runId());
        return ids;
    }

    /** Claims every due task, and stores that they started running. */
    private List<ClaimedJob> claimAll() {
        List<ClaimedJob> claimed = storage.cycle(CycleRequest.of(OWNER, "s", T0).leaseUntil(T0.plusSeconds(30))
                .claims(List.of(new QueueClaim("q", 100)), Set.of("t"), Set.of()).build()).claimed();
        storage.cycle(CycleRequest.of(OWNER, "s", T0).leaseUntil(T0.plusSeconds(30))
                .started(claimed.stream().map(ClaimedJob::id).toList()).build());
        return claimed;
    }

    private Changes finish(long id, JobStatus outcome) {
        Completion completion = switch (outcome) {
            case SUCCEEDED -> Completion.succeeded(id, 1, T0, T0, "\"ok\"");
            case DEAD -> Completion.dead(id, 1, T0, T0, BOOM);
            case SKIPPED -> Completion.skipped(id, 1, T0, T0, JobError.of("io.queuack.Skipped", "condition false"));
            default -> throw new IllegalArgumentException(outcome.name());
        };
        CycleResult result = storage.cycle(CycleRequest.of(OWNER, "s", T0).completions(List.of(completion)).build());
        assertEquals(Set.of(id), result.completed());
        return result.cascaded();
    }

    private JobStatus status(long id) {
        return storage.find(id).orElseThrow().status();
    }

    private RunStatus runStatus(long runId) {
        return storage.findRun(runId).orElseThrow().status();
    }

    private static List<String> changed(Changes changes) {
        return changes.jobs().stream().map(c -> c.jobId() + ":" + c.from() + ">" + c.to()).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aRunIsStoredWithRootsPendingAndTheRestBlocked() {
        Map<String, Long> ids = insert(new Plan().task("extract").task("clean", "extract").task("load", "clean"));
        assertEquals(JobStatus.PENDING, status(ids.get("extract")));
        assertEquals(JobStatus.BLOCKED, status(ids.get("clean")));
        RunRecord run = storage.findRun(ids.get("run")).orElseThrow();
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals("etl", run.dag());
        assertEquals(3, run.taskCount());
        assertEquals("{\"day\":\"monday\"}", run.parametersJson());
        assertEquals("{\"concurrency\":4}", run.optionsJson());
        assertEquals(run.id(), run.rootRunId());
        List<Job> jobs = storage.runJobs(ids.get("run"));
        assertEquals(List.of("extract", "clean", "load"), jobs.stream().map(Job::node).collect(Collectors.toList()));
        assertEquals(ids.get("run"), jobs.get(0).runId());
        assertEquals(List.of(ids.get("clean")), storage.upstreamJobs(ids.get("load")).stream().map(Job::id).toList());
        assertEquals(List.of(ids.get("clean") + "<" + ids.get("extract"), ids.get("load") + "<" + ids.get("clean")),
                storage.runDependencies(ids.get("run")).stream().map(pair -> pair[0] + "<" + pair[1]).toList());
        assertEquals(List.of(ids.get("extract")), claimAll().stream().map(ClaimedJob::id).toList(),
                "blocked tasks are never claimed");
        assertEquals(List.of(ids.get("run")), storage.findRuns("etl", 10).stream().map(RunRecord::id).toList());
        assertTrue(storage.findRuns("other", 10).isEmpty());
    }

    @Test
    void allModeWaitsForEveryUpstreamTaskAndTheRunSucceeds() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b").task("c", "a", "b").task("d", "c"));
        claimAll();
        Changes first = finish(ids.get("a"), JobStatus.SUCCEEDED);
        assertTrue(first.jobs().isEmpty(), "c still waits for b");
        Changes second = finish(ids.get("b"), JobStatus.SUCCEEDED);
        assertEquals(List.of(ids.get("c") + ":BLOCKED>PENDING"), changed(second));
        assertEquals(T0, storage.find(ids.get("c")).orElseThrow().runAt());
        claimAll();
        finish(ids.get("c"), JobStatus.SUCCEEDED);
        claimAll();
        Changes last = finish(ids.get("d"), JobStatus.SUCCEEDED);
        assertEquals(List.of(new RunTransition(ids.get("run"), "etl", RunStatus.RUNNING, RunStatus.SUCCEEDED)), last.runs());
        assertEquals(RunStatus.SUCCEEDED, runStatus(ids.get("run")));
        assertEquals(T0, storage.findRun(ids.get("run")).orElseThrow().finishedAt());
    }

    @Test
    void aDeadTaskSkipsItsAllModeDescendantsAndFailsTheRun() {
        Map<String, Long> ids = insert(new Plan().task("extract").task("side").task("clean", "extract")
                .task("load", "clean").task("report", "side"));
        claimAll();
        Changes changes = finish(ids.get("extract"), JobStatus.DEAD);
        assertEquals(List.of(ids.get("clean") + ":BLOCKED>SKIPPED", ids.get("load") + ":BLOCKED>SKIPPED"), changed(changes));
        Job clean = storage.find(ids.get("clean")).orElseThrow();
        assertEquals("io.queuack.Skipped", clean.error().type());
        assertEquals("upstream task 'extract' ended DEAD", clean.error().message());
        assertEquals("upstream task 'clean' ended SKIPPED", storage.find(ids.get("load")).orElseThrow().error().message());
        assertEquals(RunStatus.RUNNING, runStatus(ids.get("run")), "the independent branch still runs");
        finish(ids.get("side"), JobStatus.SUCCEEDED);
        claimAll();
        Changes last = finish(ids.get("report"), JobStatus.SUCCEEDED);
        assertEquals(RunStatus.FAILED, last.runs().get(0).to());
        assertEquals(RunStatus.FAILED, runStatus(ids.get("run")));
    }

    @Test
    void anyModeRunsOnTheFirstSuccessAndIsSkippedOnlyWhenEveryUpstreamTaskFailed() {
        Map<String, Long> ids = insert(new Plan().task("fast").task("slow").task("first", DependencyMode.ANY, "fast", "slow")
                .task("a").task("b").task("rescue", DependencyMode.ANY, "a", "b"));
        claimAll();
        assertEquals(List.of(ids.get("first") + ":BLOCKED>PENDING"), changed(finish(ids.get("fast"), JobStatus.SUCCEEDED)));
        assertEquals(JobStatus.RUNNING, status(ids.get("slow")), "its sibling is still running");
        assertTrue(finish(ids.get("a"), JobStatus.DEAD).jobs().isEmpty(), "b may still succeed");
        assertEquals(List.of(ids.get("rescue") + ":BLOCKED>SKIPPED"), changed(finish(ids.get("b"), JobStatus.DEAD)));
        assertEquals("none of its upstream tasks succeeded", storage.find(ids.get("rescue")).orElseThrow().error().message());
        finish(ids.get("slow"), JobStatus.SUCCEEDED);
        assertEquals(JobStatus.PENDING, status(ids.get("first")), "a later success changes nothing");
    }

    @Test
    void aConditionalSkipSkipsDownstreamWithoutFailingTheRun() {
        Map<String, Long> ids = insert(new Plan().task("check").task("notify", "check"));
        claimAll();
        Changes changes = finish(ids.get("check"), JobStatus.SKIPPED);
        assertEquals(List.of(ids.get("notify") + ":BLOCKED>SKIPPED"), changed(changes));
        assertEquals(RunStatus.SUCCEEDED, changes.runs().get(0).to());
        assertEquals("condition false", storage.find(ids.get("check")).orElseThrow().error().message());
    }

    @Test
    void retryingAFailedTaskReopensItsRunAndUnskipsDownstream() {
        Map<String, Long> ids = insert(new Plan().task("extract").task("clean", "extract").task("load", "clean"));
        claimAll();
        finish(ids.get("extract"), JobStatus.DEAD);
        assertEquals(RunStatus.FAILED, runStatus(ids.get("run")));
        Changes retried = storage.transition(ids.get("extract"), JobStatus.DEAD, JobStatus.PENDING, T0);
        assertEquals(List.of(ids.get("extract") + ":DEAD>PENDING", ids.get("clean") + ":SKIPPED>BLOCKED",
                ids.get("load") + ":SKIPPED>BLOCKED"), changed(retried));
        assertEquals(List.of(new RunTransition(ids.get("run"), "etl", RunStatus.FAILED, RunStatus.RUNNING)), retried.runs());
        assertEquals(RunStatus.RUNNING, runStatus(ids.get("run")));
        claimAll();
        finish(ids.get("extract"), JobStatus.SUCCEEDED);
        claimAll();
        finish(ids.get("clean"), JobStatus.SUCCEEDED);
        claimAll();
        assertEquals(RunStatus.SUCCEEDED, finish(ids.get("load"), JobStatus.SUCCEEDED).runs().get(0).to());
    }

    @Test
    void aRetriedTaskDoesNotRescueADescendantThatAnotherFailureSkips() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b").task("join", "a", "b"));
        claimAll();
        finish(ids.get("a"), JobStatus.DEAD);
        finish(ids.get("b"), JobStatus.DEAD);
        Changes retried = storage.transition(ids.get("a"), JobStatus.DEAD, JobStatus.PENDING, T0);
        assertEquals(List.of(ids.get("a") + ":DEAD>PENDING", ids.get("join") + ":SKIPPED>BLOCKED",
                ids.get("join") + ":BLOCKED>SKIPPED"), changed(retried));
        assertEquals("upstream task 'b' ended DEAD", storage.find(ids.get("join")).orElseThrow().error().message());
    }

    @Test
    void inAllModeOneSuccessDoesNotOutweighOneFailure() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b").task("join", "a", "b"));
        claimAll();
        assertTrue(finish(ids.get("a"), JobStatus.SUCCEEDED).jobs().isEmpty());
        assertEquals(List.of(ids.get("join") + ":BLOCKED>SKIPPED"), changed(finish(ids.get("b"), JobStatus.DEAD)));
        assertEquals("upstream task 'b' ended DEAD", storage.find(ids.get("join")).orElseThrow().error().message());
    }

    @Test
    void diamondsJoinOnceBothBranchesSucceeded() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b", "a").task("c", "a").task("d", "b", "c"));
        claimAll();
        assertEquals(2, changed(finish(ids.get("a"), JobStatus.SUCCEEDED)).size());
        claimAll();
        assertTrue(finish(ids.get("b"), JobStatus.SUCCEEDED).jobs().isEmpty());
        assertEquals(List.of(ids.get("d") + ":BLOCKED>PENDING"), changed(finish(ids.get("c"), JobStatus.SUCCEEDED)));
    }

    @Test
    void cancellingARunCancelsEveryUnfinishedTaskAndFencesRunningOnes() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b").task("c", "a"));
        claimAll();
        finish(ids.get("b"), JobStatus.SUCCEEDED);
        Changes cancelled = storage.cancelRun(ids.get("run"), T0);
        assertEquals(Set.of(ids.get("a") + ":RUNNING>CANCELLED", ids.get("c") + ":BLOCKED>CANCELLED"),
                Set.copyOf(changed(cancelled)));
        assertEquals(RunStatus.CANCELLED, cancelled.runs().get(0).to());
        assertEquals(RunStatus.CANCELLED, runStatus(ids.get("run")));
        assertEquals(JobStatus.SUCCEEDED, status(ids.get("b")));
        CycleResult late = storage.cycle(CycleRequest.of(OWNER, "s", T0)
                .completions(List.of(Completion.succeeded(ids.get("a"), 1, T0, T0, null))).build());
        assertTrue(late.completed().isEmpty(), "the cancelled task's late outcome is ignored");
    }

    @Test
    void cancellingOneTaskSkipsItsDownstream() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b", "a"));
        Changes changes = storage.transition(ids.get("a"), JobStatus.PENDING, JobStatus.CANCELLED, T0);
        assertEquals(List.of(ids.get("a") + ":PENDING>CANCELLED", ids.get("b") + ":BLOCKED>SKIPPED"), changed(changes));
        assertEquals(RunStatus.FAILED, changes.runs().get(0).to());
    }

    @Test
    void aTaskWhoseWorkerDiedAndHasNoAttemptLeftSkipsItsDownstream() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b", "a"));
        claimAll();
        Changes changes = storage.recoverExpiredLeases(T0.plusSeconds(30), BOOM);
        assertEquals(List.of(ids.get("a") + ":RUNNING>DEAD", ids.get("b") + ":BLOCKED>SKIPPED"), changed(changes));
        assertEquals(RunStatus.FAILED, changes.runs().get(0).to());
    }

    @Test
    void subRunsBelongToTheirRootAndAreCancelledWithIt() {
        Map<String, Long> parent = insert(new Plan().task("fan").task("after", "fan"));
        claimAll();
        RunPlan child = new RunPlan("etl/fan", null, null, parent.get("fan"), "spawned-by-" + parent.get("fan"), T0,
                new Plan().task("x").task("y").build("ignored").tasks());
        RunInserted inserted = storage.insertRun(child);
        RunRecord record = storage.findRun(inserted.runId()).orElseThrow();
        assertEquals(List.of(record), storage.childRuns(parent.get("run")));
        assertTrue(storage.childRuns(inserted.runId()).isEmpty());
        assertEquals(parent.get("run"), record.rootRunId());
        assertEquals(parent.get("fan"), record.parentJobId());
        RunInserted again = storage.insertRun(child);
        assertTrue(again.existing());
        assertEquals(inserted.runId(), again.runId());
        assertArrayEquals(inserted.jobIds(), again.jobIds());
        List<ClaimedJob> onlyTree = storage.cycle(CycleRequest.of(OWNER, "s", T0).leaseUntil(T0.plusSeconds(30))
                .claims(List.of(new QueueClaim("q", 100)), Set.of("t"), Set.of()).rootRunId(parent.get("run"))
                .build()).claimed();
        assertEquals(2, onlyTree.size());
        assertEquals(inserted.runId(), onlyTree.get(0).runId());
        storage.cancelRun(parent.get("run"), T0);
        assertEquals(RunStatus.CANCELLED, runStatus(inserted.runId()));
        assertEquals(JobStatus.CANCELLED, status(inserted.jobIds()[0]));
    }

    @Test
    void claimsCanBeLimitedToOneRunTree() {
        Map<String, Long> first = insert(new Plan().task("a"));
        Map<String, Long> second = insert(new Plan().task("a"));
        List<ClaimedJob> claimed = storage.cycle(CycleRequest.of(OWNER, "s", T0).leaseUntil(T0.plusSeconds(30))
                .claims(List.of(new QueueClaim("q", 100)), Set.of("t"), Set.of()).rootRunId(second.get("run"))
                .build()).claimed();
        assertEquals(List.of(second.get("a")), claimed.stream().map(ClaimedJob::id).toList());
        assertEquals("a", claimed.get(0).node());
        assertEquals(JobStatus.PENDING, status(first.get("a")));
    }

    @Test
    void successesStoredWithACacheKeyCanBeReused() {
        Map<String, Long> ids = insert(new Plan().task("a").task("b"));
        claimAll();
        assertTrue(storage.cachedResult("etl/a#1").isEmpty());
        storage.cycle(CycleRequest.of(OWNER, "s", T0)
                .completions(List.of(Completion.succeeded(ids.get("a"), 1, T0, T0, "\"first\"").withCacheKey("etl/a#1"),
                        Completion.dead(ids.get("b"), 1, T0, T0, BOOM)))
                .build());
        assertEquals("\"first\"", storage.cachedResult("etl/a#1").orElseThrow());
        Map<String, Long> again = insert(new Plan().task("a"));
        claimAll();
        storage.cycle(CycleRequest.of(OWNER, "s", T0)
                .completions(List.of(
                        Completion.succeeded(again.get("a"), 1, T0, T0, "\"second\"").withCacheKey("etl/a#1")))
                .build());
        assertEquals("\"second\"", storage.cachedResult("etl/a#1").orElseThrow(), "the newest result wins");
    }

    @Test
    void anEmptyRunHasSucceededAtOnce() {
        RunInserted inserted = storage.insertRun(new RunPlan("empty", null, null, null, null, T0, List.of()));
        assertEquals(0, inserted.jobIds().length);
        assertEquals(RunStatus.SUCCEEDED, runStatus(inserted.runId()));
    }

    @Test
    void purgeKeepsTheTasksOfRunningRuns() {
        Map<String, Long> running = insert(new Plan().task("a").task("b", "a"));
        Map<String, Long> done = insert(new Plan().task("only"));
        claimAll();
        finish(running.get("a"), JobStatus.SUCCEEDED);
        finish(done.get("only"), JobStatus.SUCCEEDED);
        assertEquals(1, storage.purge(EnumSet.of(JobStatus.SUCCEEDED), T0.plusSeconds(1), null));
        assertTrue(storage.find(running.get("a")).isPresent());
        assertTrue(storage.find(done.get("only")).isEmpty());
        assertTrue(storage.findRun(done.get("run")).isEmpty(), "a run whose tasks are all purged goes too");
        assertFalse(storage.findRun(running.get("run")).isEmpty());
    }
}
