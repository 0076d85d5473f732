package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.job.Backoff;
import io.queuack.job.DependencyMode;
import io.queuack.job.JobError;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a DAG run does when tasks fail, retry, time out, are cancelled, skip, fan out, nest or wait. */
class DagSemanticsTest extends QueueTestBase {

    private static Object fail(String message) {
        throw new IllegalStateException(message);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failuresPropagateByDependencyMode(Backend backend) {
        Queuack queue = open(backend);
        Dag dag = Dag.builder("propagation")
                .defaults(JobOptions.defaults().maxAttempts(1))
                .task("fail", () -> fail("source broken"))
                .task("ok", () -> "fine")
                .task("allOfFail", () -> "never").after("fail")
                .task("anyOfBoth", ctx -> ctx.upstreamResults()).after("fail", "ok").mode(DependencyMode.ANY)
                .task("anyOfFail", () -> "never").after("fail").mode(DependencyMode.ANY)
                .task("belowSkipped", () -> "never").after("allOfFail")
                .task("independent", () -> "fine")
                .build();
        DagRun run = queue.run(dag);
        assertEquals(RunStatus.FAILED, run.status());
        Map<String, JobStatus> statuses = new java.util.LinkedHashMap<>();
        run.tasks().forEach(task -> statuses.put(task.name(), task.status()));
        assertEquals(Map.of("fail", JobStatus.DEAD, "ok", JobStatus.SUCCEEDED, "allOfFail", JobStatus.SKIPPED,
                "anyOfBoth", JobStatus.SUCCEEDED, "anyOfFail", JobStatus.SKIPPED, "belowSkipped", JobStatus.SKIPPED,
                "independent", JobStatus.SUCCEEDED), statuses);
        assertEquals(Map.of("ok", "fine"), run.result("anyOfBoth", Map.class), "ANY mode reads the parents that finished");
        Map<String, JobError> errors = run.errors();
        assertEquals("java.lang.IllegalStateException", errors.get("fail").type());
        assertEquals("source broken", errors.get("fail").message());
        assertTrue(errors.get("fail").stackTrace().contains("DagSemanticsTest"), "the stack trace is stored");
        assertEquals("upstream task 'fail' ended DEAD", errors.get("allOfFail").message());
        assertEquals("none of its upstream tasks succeeded", errors.get("anyOfFail").message());
        assertEquals("upstream task 'allOfFail' ended SKIPPED", errors.get("belowSkipped").message());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTaskIsRetriedBeforeItFails(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger calls = new AtomicInteger();
        Dag dag = Dag.builder("flaky")
                .task("fetch", ctx -> ctx.attempt() < 3 ? fail("try " + ctx.attempt()) : "got it")
                .retries(2).backoff(Backoff.NONE)
                .task("use", ctx -> calls.incrementAndGet()).after("fetch")
                .build();
        DagRun run = queue.run(dag);
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(3, run.task("fetch").attempts());
        assertEquals(1, calls.get());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTaskThatRunsTooLongTimesOutAndSkipsDownstream(Backend backend) {
        Queuack queue = open(backend);
        Dag dag = Dag.builder("slow")
                .task("hang", ctx -> {
                    Thread.sleep(30_000);
                    return null;
                }).timeout(Duration.ofMillis(200)).retries(0)
                .task("after", () -> "never").after("hang")
                .build();
        DagRun run = queue.run(dag);
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals("java.util.concurrent.TimeoutException", run.errors().get("hang").type());
        assertEquals(JobStatus.SKIPPED, run.task("after").status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cancellingARunStopsItsTasks(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Dag dag = Dag.builder("long")
                .task("work", ctx -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return null;
                })
                .task("after", () -> "never").after("work")
                .build();
        DagRun run = queue.submit(dag);
        closeLater(queue.workers().start());
        Waits.await(started);
        assertTrue(run.cancel());
        assertEquals(RunStatus.CANCELLED, run.await(Waits.LONG));
        Waits.until("the task saw the interrupt", interrupted::get);
        assertEquals(JobStatus.CANCELLED, run.task("work").status());
        assertEquals(JobStatus.CANCELLED, run.task("after").status());
        assertTrue(!run.cancel(), "a finished run cannot be cancelled again");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void conditionsSkipTasksWithoutFailingTheRun(Backend backend) {
        Queuack queue = open(backend);
        Dag dag = Dag.builder("conditional")
                .task("load", () -> 10)
                .task("alert", ctx -> "alert!").after("load")
                .when(ctx -> ctx.upstream("load", Integer.class) > ctx.parameter("threshold", Integer.class))
                .task("page", () -> "paged").after("alert")
                .build();
        DagRun quiet = queue.run(dag, RunOptions.defaults().parameter("threshold", 50));
        assertEquals(RunStatus.SUCCEEDED, quiet.status());
        assertEquals(JobStatus.SKIPPED, quiet.task("alert").status());
        assertEquals("its condition was false", quiet.task("alert").error().message());
        assertEquals(JobStatus.SKIPPED, quiet.task("page").status());
        DagRun loud = queue.run(dag, RunOptions.defaults().parameter("threshold", 5));
        assertEquals("paged", loud.result("page", String.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 25})
    void fanOutRunsOneJobPerElementAndFansIn(int size) {
        Queuack queue = open(Backend.DUCKDB_FILE);
        Dag dag = Dag.builder("fan")
                .task("list", () -> IntStream.range(0, size).boxed().toList())
                .map("square", "list", Integer.class, (ctx, n) -> n * n)
                .task("sum", ctx -> ctx.upstream("square", List.class).stream().mapToInt(n -> (Integer) n).sum())
                .after("square")
                .build();
        DagRun run = queue.run(dag, RunOptions.defaults().workers(4));
        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        List<Integer> squares = IntStream.range(0, size).map(n -> n * n).boxed().toList();
        assertEquals(squares, run.result("square", List.class));
        assertEquals(squares.stream().mapToInt(Integer::intValue).sum(), run.result("sum", Integer.class));
        List<DagRun> fanned = run.subRuns();
        assertEquals(1, fanned.size());
        assertEquals(size, fanned.get(0).tasks().size());
        assertEquals("fan.square", fanned.get(0).dagName());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailedElementFailsTheFanOutTask(Backend backend) {
        Queuack queue = open(backend);
        Dag dag = Dag.builder("fanfail")
                .defaults(JobOptions.defaults().maxAttempts(1))
                .task("list", () -> List.of(1, 2, 3))
                .map("check", "list", Integer.class, (ctx, n) -> n == 2 ? fail("two is bad") : n)
                .task("after", () -> "never").after("check")
                .build();
        DagRun run = queue.run(dag);
        assertEquals(RunStatus.FAILED, run.status());
        JobError error = run.errors().get("check");
        assertTrue(error.message().contains("fan-out 'check'") && error.message().contains("task '1' ended DEAD")
                && error.message().contains("two is bad"), error.message());
        assertEquals(JobStatus.SKIPPED, run.task("after").status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSubDagRunsAsOneTaskWhoseResultIsReadableByItsName(Backend backend) {
        Queuack queue = open(backend);
        Dag inner = Dag.builder("inner")
                .task("a", ctx -> ctx.parameter("base", Integer.class) + 1)
                .task("b", ctx -> ctx.upstream("a", Integer.class) * 10).after("a")
                .build();
        Dag outer = Dag.builder("outer")
                .task("prepare", () -> "ready")
                .subDag("nested", inner).after("prepare")
                .task("report", ctx -> "b was " + ctx.upstream("nested", Map.class).get("b")).after("nested")
                .build();
        DagRun run = queue.run(outer, RunOptions.defaults().parameter("base", 4));
        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        assertEquals("b was 50", run.result("report", String.class));
        DagRun nested = run.subRuns().get(0);
        assertEquals("inner", nested.dagName());
        assertEquals(RunStatus.SUCCEEDED, nested.status());
        assertEquals(50, nested.result("b", Integer.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailedSubDagFailsItsTask(Backend backend) {
        Queuack queue = open(backend);
        Dag inner = Dag.builder("broken").defaults(JobOptions.defaults().maxAttempts(1))
                .task("x", () -> fail("inner failure")).build();
        Dag outer = Dag.builder("wrapper")
                .subDag("nested", inner)
                .task("after", () -> "never").after("nested")
                .build();
        DagRun run = queue.run(outer);
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals(JobStatus.DEAD, run.task("nested").status());
        assertEquals(1, run.task("nested").attempts(), "a failed sub-DAG is not retried as a whole");
        assertTrue(run.errors().get("nested").message().contains("inner failure"), run.errors().toString());
        assertEquals(JobStatus.SKIPPED, run.task("after").status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void asyncTasksHoldNoThreadAndRespectTheRunsConcurrency(Backend backend) {
        Queuack queue = open(backend);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        var builder = Dag.builder("async");
        for (int i = 0; i < 6; i++) {
            int index = i;
            builder.task("wait" + i, ctx -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                CompletableFuture<Integer> later = new CompletableFuture<>();
                timer.schedule(() -> {
                    inFlight.decrementAndGet();
                    later.complete(index);
                }, 100, TimeUnit.MILLISECONDS);
                return later;
            });
        }
        try {
            DagRun limited = queue.run(builder.build(), RunOptions.defaults().concurrency(2).workers(1));
            assertEquals(RunStatus.SUCCEEDED, limited.status(), () -> limited.errors().toString());
            assertEquals(2, maxInFlight.get(), "at most the run's concurrency waits at once");
            assertEquals(5, limited.result("wait5", Integer.class));
            maxInFlight.set(0);
            DagRun wide = queue.run(builder.build(), RunOptions.defaults().concurrency(6).workers(1));
            assertEquals(RunStatus.SUCCEEDED, wide.status());
            assertEquals(6, maxInFlight.get(), "one worker thread, six tasks waiting at once");
        } finally {
            timer.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailedFutureFailsItsTask(Backend backend) {
        Queuack queue = open(backend);
        DagRun run = queue.run(Dag.builder("asyncfail").defaults(JobOptions.defaults().maxAttempts(1))
                .task("remote", ctx -> CompletableFuture.failedFuture(new java.io.IOException("remote down"))).build());
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals("java.io.IOException", run.errors().get("remote").type());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unchangedTasksReuseEarlierResultsWhenAsked(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger extracts = new AtomicInteger();
        AtomicInteger transforms = new AtomicInteger();
        Dag dag = Dag.builder("cached")
                .task("extract", ctx -> {
                    extracts.incrementAndGet();
                    return ctx.parameter("day", String.class) + "-rows";
                })
                .task("transform", ctx -> {
                    transforms.incrementAndGet();
                    return ctx.upstream("extract", String.class).toUpperCase();
                }).after("extract")
                .build();
        RunOptions monday = RunOptions.defaults().parameter("day", "mon").reuseResults(true);
        DagRun first = queue.run(dag, monday);
        assertEquals("MON-ROWS", first.result("transform", String.class));
        assertFalse(first.task("extract").reused() || first.task("transform").reused(), "computed, not reused");
        DagRun again = queue.run(dag, monday);
        assertEquals("MON-ROWS", again.result("transform", String.class));
        assertEquals(1, extracts.get());
        assertEquals(1, transforms.get());
        assertTrue(again.task("extract").reused() && again.task("transform").reused());
        queue.run(dag, RunOptions.defaults().parameter("day", "tue").reuseResults(true));
        assertEquals(2, extracts.get(), "other inputs, other key");
        queue.run(dag, RunOptions.defaults().parameter("day", "mon"));
        assertEquals(3, extracts.get(), "reuse is opt-in");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void fanOutElementsAreReusedOneByOne(Backend backend) {
        Queuack queue = open(backend);
        List<String> computed = Collections.synchronizedList(new ArrayList<>());
        RunOptions tagA = RunOptions.defaults().parameter("tag", "a").reuseResults(true);
        assertEquals(List.of(1, 4, 9), queue.run(squares(List.of(1, 2, 3), "1", computed), tagA)
                .result("square", List.class));
        assertEquals(List.of("a1", "a2", "a3"), computed.stream().sorted().toList());

        DagRun again = queue.run(squares(List.of(1, 2, 3), "1", computed), tagA);
        assertEquals(List.of(1, 4, 9), again.result("square", List.class));
        assertEquals(3, computed.size(), "same elements, same parameters: nothing computed again");
        assertTrue(again.subRuns().get(0).tasks().stream().allMatch(RunTask::reused));

        DagRun changed = queue.run(squares(List.of(1, 2, 4), "2", computed), tagA);
        assertEquals(List.of(1, 4, 16), changed.result("square", List.class));
        assertEquals(4, computed.size(), "only the new element is computed");
        assertEquals("a4", computed.get(3));

        queue.run(squares(List.of(1, 2, 4), "2", computed), RunOptions.defaults().parameter("tag", "b")
                .reuseResults(true));
        assertEquals(7, computed.size(), "other run parameters, other keys");
    }

    /** A DAG whose list task returns {@code items} (its version says which list), squared by a fan-out. */
    private static Dag squares(List<Integer> items, String listVersion, List<String> computed) {
        return Dag.builder("cached_fan_out")
                .task("list", () -> items).version(listVersion)
                .map("square", "list", Integer.class, (ctx, n) -> {
                    computed.add(ctx.parameter("tag", String.class) + n);
                    return n * n;
                })
                .build();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void retryingAFailedTaskResumesItsRun(Backend backend) {
        Queuack queue = open(backend);
        AtomicBoolean fixed = new AtomicBoolean();
        Dag dag = Dag.builder("fixable").defaults(JobOptions.defaults().maxAttempts(1))
                .task("step", ctx -> fixed.get() ? "ok" : fail("not yet"))
                .task("after", ctx -> ctx.upstream("step", String.class) + "!").after("step")
                .build();
        DagRun run = queue.run(dag);
        assertEquals(RunStatus.FAILED, run.status());
        fixed.set(true);
        queue.retry(run.task("step").jobId());
        assertEquals(RunStatus.RUNNING, run.status());
        closeLater(queue.workers().start());
        assertEquals(RunStatus.SUCCEEDED, run.await(Waits.LONG));
        assertEquals("ok!", run.result("after", String.class));
        assertNull(run.errors().get("after"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRetriedTaskWaitsForItsRunningUpstreamTask(Backend backend) {
        Queuack queue = open(backend);
        CountDownLatch upstreamStarted = new CountDownLatch(1);
        CountDownLatch finishUpstream = new CountDownLatch(1);
        AtomicInteger downstreamRuns = new AtomicInteger();
        Dag dag = Dag.builder("wait-again")
                .task("slow", ctx -> {
                    upstreamStarted.countDown();
                    Waits.await(finishUpstream);
                    return "made";
                })
                .task("after", ctx -> {
                    downstreamRuns.incrementAndGet();
                    return ctx.upstream("slow", String.class) + "!";
                }).after("slow")
                .build();
        DagRun run = queue.submit(dag);
        closeLater(queue.workersFor(run).concurrency(2).start());
        Waits.await(upstreamStarted);
        long after = run.task("after").jobId();
        assertTrue(queue.cancel(after));
        queue.retry(after);
        assertEquals(JobStatus.BLOCKED, queue.job(after).orElseThrow().status(), "it waits for 'slow' again");
        finishUpstream.countDown();
        assertEquals(RunStatus.SUCCEEDED, run.await(Waits.LONG));
        assertEquals("made!", run.result("after", String.class));
        assertEquals(1, downstreamRuns.get(), "it ran once, after its upstream task");

        CountDownLatch breakNow = new CountDownLatch(1);
        DagRun failed = queue.submit(Dag.builder("upstream-dead").defaults(JobOptions.defaults().maxAttempts(1))
                .task("broken", ctx -> {
                    Waits.await(breakNow);
                    return fail("broken");
                })
                .task("next", ctx -> 1).after("broken").build());
        closeLater(queue.workersFor(failed).start());
        queue.cancel(failed.task("next").jobId());
        breakNow.countDown();
        assertEquals(RunStatus.FAILED, failed.await(Waits.LONG));
        queue.retry(failed.task("next").jobId());
        assertEquals(JobStatus.SKIPPED, failed.task("next").status(), "its upstream task is DEAD: it cannot run");
        assertEquals(RunStatus.FAILED, failed.status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void manyIndependentTasksAllRun(Backend backend) {
        Queuack queue = open(backend);
        var builder = Dag.builder("wide");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("t" + i);
            int value = i;
            builder.task("t" + i, () -> value);
        }
        builder.task("sum", ctx -> ctx.upstreamResults().values().stream().mapToInt(v -> (Integer) v).sum())
                .after(names.toArray(String[]::new));
        DagRun run = queue.run(builder.build(), RunOptions.defaults().workers(4));
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(IntStream.range(0, 200).sum(), run.result("sum", Integer.class));
        assertEquals(Collections.nCopies(201, JobStatus.SUCCEEDED),
                run.tasks().stream().map(RunTask::status).toList());
    }
}
