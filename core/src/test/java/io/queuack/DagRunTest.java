package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.error.QueuackException;
import io.queuack.job.IllegalJobStateException;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.job.TaskContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Running DAGs end to end: data flow, parallelism, parameters, submit versus run. */
class DagRunTest extends QueueTestBase {

    record Row(String name, int amount) {
    }

    static Dag etl() {
        return Dag.builder("etl")
                .task("extract", ctx -> List.of(new Row("a", 1), new Row("b", 2), new Row("c", 3)))
                .task("double", ctx -> ctx.upstream("extract", new TypeReference<List<Row>>() { }).stream()
                        .map(row -> new Row(row.name(), row.amount() * 2)).toList()).after("extract")
                .task("total", ctx -> ctx.upstream("double", new TypeReference<List<Row>>() { }).stream()
                        .mapToInt(Row::amount).sum()).after("double")
                .build();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void resultsFlowDownstreamAndTheRunSucceeds(Backend backend) {
        Queuack queue = open(backend);
        DagRun run = queue.run(etl());
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(12, run.result("total", Integer.class));
        assertEquals(List.of("extract", "double", "total"), run.tasks().stream().map(RunTask::name).toList());
        RunTask total = run.task("total");
        assertEquals(JobStatus.SUCCEEDED, total.status());
        assertNotNull(total.queuedAt());
        assertNotNull(total.startedAt());
        assertNotNull(total.finishedAt());
        assertTrue(!total.startedAt().isBefore(run.task("double").finishedAt()), "total starts after double ends");
        assertEquals(1.0, run.progress());
        assertTrue(run.errors().isEmpty());
        assertEquals(Map.of("extract", 3, "double", 3), Map.of("extract", ((List<?>) run.results().get("extract")).size(),
                "double", ((List<?>) run.results().get("double")).size()));
        assertEquals(1, queue.dagRuns("etl", 10).size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void parallelBranchesRunInParallel(Backend backend) {
        Queuack queue = open(backend);
        CyclicBarrier both = new CyclicBarrier(2);
        Dag dag = Dag.builder("fork")
                .task("start", () -> "go")
                .task("left", ctx -> both.await(20, TimeUnit.SECONDS)).after("start")
                .task("right", ctx -> both.await(20, TimeUnit.SECONDS)).after("start")
                .task("join", ctx -> ctx.upstreamResults().keySet()).after("left", "right")
                .build();
        DagRun run = queue.run(dag, RunOptions.defaults().workers(2));
        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        assertEquals(List.of("left", "right"), run.result("join", List.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void parametersMakeTheDagATemplate(Backend backend) {
        Queuack queue = open(backend);
        Dag greet = Dag.builder("greet")
                .task("hello", ctx -> "Hello, " + ctx.parameter("name", String.class) + "!"
                        + " x" + ctx.parameterOr("times", Integer.class, 1))
                .build();
        assertEquals("Hello, Ada! x1", queue.run(greet, RunOptions.defaults().parameter("name", "Ada"))
                .result("hello", String.class));
        DagRun twice = queue.run(greet, RunOptions.defaults().parameter("name", "Bo").parameter("times", 2));
        assertEquals("Hello, Bo! x2", twice.result("hello", String.class));
        assertEquals(Map.of("name", "Bo", "times", 2), twice.parameters());
        DagRun missing = queue.run(greet);
        assertEquals(RunStatus.FAILED, missing.status());
        assertTrue(missing.errors().get("hello").message().contains("no parameter named 'name'"),
                missing.errors().toString());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void submittedRunsAreRunByTheQueuesPools(Backend backend) {
        Queuack queue = open(backend);
        DagRun run = queue.submit(etl());
        assertEquals(RunStatus.RUNNING, run.status());
        closeLater(queue.workers().start());
        assertEquals(RunStatus.SUCCEEDED, run.await(Waits.LONG));
        assertEquals(12, run.result("total", Integer.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRunExecutesOnlyItsOwnTasks(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger foreign = new AtomicInteger();
        queue.register("foreign", ctx -> foreign.incrementAndGet());
        long job = queue.enqueue("foreign");
        DagRun run = queue.run(etl());
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(0, foreign.get());
        assertEquals(JobStatus.PENDING, queue.job(job).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void resultsThatCannotBeStoredNameTheTaskAndType(Backend backend) {
        Queuack queue = open(backend);
        DagRun run = queue.run(Dag.builder("bad").task("thing", ctx -> new Object()).build());
        assertEquals(RunStatus.FAILED, run.status());
        JobError error = run.errors().get("thing");
        assertTrue(error.message().contains("dag:bad:thing") && error.message().contains("java.lang.Object"),
                error.message());
        assertThrows(IllegalJobStateException.class, () -> run.result("thing", Object.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void taskContextIsReachableFromHelperCode(Backend backend) {
        Queuack queue = open(backend);
        DagRun run = queue.run(Dag.builder("helper")
                .task("a", () -> 41)
                .task("b", () -> TaskContext.current().orElseThrow().upstream("a", Integer.class) + 1).after("a")
                .build());
        assertEquals(42, run.result("b", Integer.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPoolForOneRunTakesOnlyItsTasksOnEveryQueueTheyUse(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger foreign = new AtomicInteger();
        queue.register("foreign", ctx -> foreign.incrementAndGet());
        long job = queue.enqueue("foreign");
        Dag split = Dag.builder("split")
                .task("fetch", () -> 20).queue("io")
                .task("compute", ctx -> ctx.upstream("fetch", Integer.class) + 1).after("fetch").queue("cpu")
                .task("report", ctx -> "got " + ctx.upstream("compute", Integer.class)).after("compute")
                .build();
        DagRun run = queue.submit(split);
        closeLater(queue.workersFor(run).concurrency(2).start());
        assertEquals(RunStatus.SUCCEEDED, run.await(Waits.LONG), () -> run.errors().toString());
        assertEquals("got 21", run.result("report", String.class));
        assertEquals(0, foreign.get(), "a job of the default queue that is not the run's stays waiting");
        assertEquals(JobStatus.PENDING, queue.job(job).orElseThrow().status());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStoredRunGoesOnWithAPoolOfItsOwnWithoutBlocking(Backend backend) {
        Queuack queue = open(backend);
        DagRun submitted = queue.submit(etl());
        IllegalArgumentException unknownDag = assertThrows(IllegalArgumentException.class,
                () -> queue.workersFor(queue.dagRun(submitted.id()).orElseThrow()));
        assertTrue(unknownDag.getMessage().contains("dagRun(dag, " + submitted.id() + ")"), unknownDag.getMessage());
        assertThrows(IllegalArgumentException.class, () -> queue.dagRun(Dag.builder("other").task("x", () -> 1).build(), submitted.id()));

        DagRun again = queue.dagRun(etl(), submitted.id());
        assertEquals(RunStatus.RUNNING, again.status());
        closeLater(queue.workersFor(again).start());
        assertEquals(RunStatus.SUCCEEDED, again.await(Waits.LONG));
        assertEquals(12, again.result("total", Integer.class));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anInterruptedRunStopsItsPoolAtOnceAndStaysResumable(Backend backend) throws Exception {
        Queuack queue = open(backend);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Dag slow = Dag.builder("slow")
                .task("wait", () -> {
                    started.countDown();
                    Thread.sleep(60_000);
                    return 1;
                })
                .task("after", () -> 2).after("wait")
                .build();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                queue.run(slow);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        caller.start();
        assertTrue(started.await(20, TimeUnit.SECONDS));
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        caller.join(20_000);
        Duration stopping = Duration.ofNanos(System.nanoTime() - interruptedAt);
        assertTrue(!caller.isAlive() && thrown.get() instanceof QueuackException, String.valueOf(thrown.get()));
        assertTrue(stopping.compareTo(Duration.ofSeconds(4)) < 0, "the pool did not wait out its grace: " + stopping);
        DagRun run = queue.dagRuns("slow", 1).get(0);
        assertEquals(RunStatus.RUNNING, run.status(), "nothing was cancelled: the run can be resumed");
        assertEquals(JobStatus.PENDING, run.task("wait").status(), "the interrupted task gave its attempt back");
        assertEquals(0, run.task("wait").attempts());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRegisteredDagIsFoundByNameAndTheLatestRegistrationWins(Backend backend) {
        Queuack queue = open(backend);
        assertTrue(queue.dag("etl").isEmpty());
        queue.register(etl());
        Dag newer = Dag.builder("etl").task("only", ctx -> 1).build();
        queue.register(newer);
        assertTrue(queue.dag("etl").orElseThrow() == newer, "the latest registration");
        Dag submitted = Dag.builder("adhoc").task("one", ctx -> 1).build();
        queue.run(submitted);
        assertTrue(queue.dag("adhoc").orElseThrow() == submitted, "submitting registers too");
        assertThrows(NullPointerException.class, () -> queue.dag(null));
    }
}
