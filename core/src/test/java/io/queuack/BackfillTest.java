package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.dag.Dag;
import io.queuack.job.JobLimit;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.schedule.Backfill;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Slot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backfills: a run per slot under a concurrency counted outside the queue, each with its slot's parameters; the
 * same backfill stored again is the same one, a failed one starts again reusing what succeeded; a grid shows the
 * slots; a killed process's backfill resumes without repeating finished slots.
 */
class BackfillTest extends QueueTestBase {

    @TempDir
    Path work;

    private static final LocalDate FIRST = LocalDate.parse("2026-11-01");

    /** A DAG whose runs count themselves in flight between their first and last task. */
    private static Dag counted(AtomicInteger inFlight, AtomicInteger most, Set<String> days) {
        return Dag.builder("counted")
                .task("enter", ctx -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    long until = System.nanoTime() + 500_000_000L;      // wait for two more slots, if they may come
                    while (inFlight.get() < 3 && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    days.add(ctx.parameter(Slot.DAY, String.class) + "/" + ctx.parameter("source", String.class));
                    return ctx.parameter(Slot.DAY, String.class);
                })
                .task("work", ctx -> {
                    long until = System.nanoTime() + 20_000_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return ctx.upstream("enter", String.class).length();
                }).after("enter")
                .task("leave", ctx -> inFlight.decrementAndGet()).after("work")
                .build();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everySlotRunsWithItsParametersAndNoMoreSlotsAtOnceThanTheConcurrency(Backend backend) {
        Queuack queue = open(backend);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> days = ConcurrentHashMap.newKeySet();
        Backfill tenDays = Backfill.days(counted(inFlight, most, days), FIRST, FIRST.plusDays(9)).concurrency(3)
                .parameter("source", "archive");
        BackfillRun run = queue.backfill(tenDays);
        closeLater(queue.workers().concurrency(8).start());
        assertEquals(RunStatus.SUCCEEDED, run.await(Waits.LONG), run::toText);
        assertEquals(3, most.get(), "three slots at once, never more");
        assertEquals(10, days.size());
        assertTrue(days.contains("2026-11-10/archive"), days.toString());
        assertEquals(Map.of(JobStatus.SUCCEEDED, 10), run.counts());
        assertEquals(List.of("slot", "enter", "work", "leave"), run.grid().rows());
        assertEquals("2026-11-01", run.grid().columns().get(0));
        assertTrue(run.toText().contains("enter ✓✓✓✓✓✓✓✓✓✓"), run.toText());
        assertTrue(run.toSvg().contains("<title>2026-11-03 · work · SUCCEEDED"), "tooltips name slot and task");
        assertEquals(10, run.slots().stream().filter(slot -> slot.run().isPresent()).count());
        assertEquals(List.of(), queue.limits().list(), "the backfill's limit went when it finished");
        assertEquals(List.of(run.id()), queue.backfills("counted", 10).stream().map(BackfillRun::id).toList());
        assertEquals(run.id(), queue.backfill(tenDays).id(), "the same backfill, succeeded: the same run");
        assertEquals(List.of(), queue.limits().list());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailedBackfillStartsAgainAndRunsOnlyWhatFailed(Backend backend) {
        Queuack queue = open(backend);
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        Set<String> broken = ConcurrentHashMap.newKeySet();
        broken.add("2026-11-03");
        Dag dag = Dag.builder("flaky")
                .task("load", ctx -> {
                    String day = ctx.parameter(Slot.DAY, String.class);
                    runs.merge(day, 1, Integer::sum);
                    if (broken.contains(day)) {
                        throw new io.queuack.error.NonRetryableException("no data for " + day);
                    }
                    return day;
                })
                .build();
        Backfill week = Backfill.days(dag, FIRST, FIRST.plusDays(6));
        BackfillRun first = queue.backfill(week);
        closeLater(queue.workers().concurrency(4).start());
        assertEquals(RunStatus.FAILED, first.await(Waits.LONG));
        assertEquals(Map.of(JobStatus.SUCCEEDED, 6, JobStatus.DEAD, 1), first.counts());
        assertTrue(first.toText().contains("✗"), first.toText());
        broken.clear();
        BackfillRun second = queue.backfill(week);
        assertNotEquals(first.id(), second.id());
        assertEquals(RunStatus.SUCCEEDED, second.await(Waits.LONG), second::toText);
        assertEquals(2, runs.get("2026-11-03"));
        assertEquals(1, runs.get("2026-11-04"), "results of what succeeded were reused");
        assertTrue(second.slots().get(3).run().orElseThrow().task("load").reused());
        assertEquals(List.of(second.id(), first.id()), queue.backfills("flaky", 5).stream().map(BackfillRun::id).toList());
    }

    @Test
    void valuesAndScheduleSlotsGiveEachRunItsParameters() {
        Queuack queue = open(Backend.MEMORY);
        Map<String, String> seen = new ConcurrentHashMap<>();
        Dag dag = Dag.builder("regional")
                .task("report", ctx -> seen.put(ctx.parameter("region", String.class) + "|"
                        + ctx.parameterOr(Slot.SLOT, String.class, "-"), ctx.parameterOr(Slot.DAY, String.class, "-")))
                .build();
        closeLater(queue.workers().concurrency(4).start());
        BackfillRun regions = queue.backfill(Backfill.values(dag, "region", List.of("eu", "us")));
        assertEquals(RunStatus.SUCCEEDED, regions.await(Waits.LONG));
        assertEquals(Set.of("eu|-", "us|-"), seen.keySet());
        seen.clear();
        Schedule daily = Schedule.dag("daily-regional", dag).cron("30 2 * * *").zone("Europe/Paris")
                .parameter("region", "eu");
        BackfillRun slots = queue.backfill(Backfill.slots(daily, Instant.parse("2026-03-28T00:00:00Z"),
                Instant.parse("2026-03-31T00:00:00Z")));
        assertEquals(RunStatus.SUCCEEDED, slots.await(Waits.LONG));
        assertEquals(List.of("2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00"),
                slots.grid().columns(), "the day the clocks skip 02:30 fires once, at 03:30");
        assertEquals(Set.of("eu|2026-03-28T02:30+01:00", "eu|2026-03-29T03:30+02:00", "eu|2026-03-30T02:30+02:00"),
                seen.keySet());
    }

    @Test
    void badBackfillsAreRefusedWithTheRule() {
        Dag dag = Dag.builder("d").task("t", () -> 1).build();
        assertThrows(IllegalArgumentException.class, () -> Backfill.days(dag, FIRST, FIRST.minusDays(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backfill.days(dag, FIRST, FIRST.plusDays(20_000)))
                .getMessage().contains("at most 10000 slots"));
        assertThrows(IllegalArgumentException.class, () -> Backfill.values(dag, "x", List.of()));
        assertThrows(IllegalArgumentException.class, () -> Backfill.values(dag, "x", List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Backfill.days(dag, FIRST, FIRST).concurrency(0));
        assertThrows(IllegalArgumentException.class, () -> Backfill.slots(Schedule.dag("s", "d").cron("0 6 * * *"),
                Instant.EPOCH, Instant.EPOCH.plusSeconds(86_400)));
    }

    @Test
    void aKilledBackfillResumesWithoutRepeatingFinishedSlots() throws Exception {
        Path file = work.resolve("backfill.duckdb");
        Path log = work.resolve("days.log");
        long runId;
        try (Child child = Child.start("backfill", file.toString(), log.toString())) {
            String first = child.readLine();
            assertTrue(first.startsWith("RUN "), first);
            runId = Long.parseLong(first.substring(4));
            Waits.until("some slots finished in the child", () -> lines(log, "store").size() >= 6);
            child.kill();
        }
        try (Queuack queue = Queuack.open(file)) {
            BackfillRun stored = queue.backfillRun(runId).orElseThrow();
            assertEquals(RunStatus.RUNNING, stored.status());
            Set<String> finished = stored.slots().stream().filter(slot -> slot.status() == JobStatus.SUCCEEDED)
                    .map(BackfillRun.SlotState::label).collect(Collectors.toSet());
            assertTrue(!finished.isEmpty() && finished.size() < 12, "finished before the kill: " + finished);
            assertEquals(List.of(JobLimit.key(queue.limits().list().get(0).name()).maxRunning(2)), queue.limits().list(),
                    "the backfill's limit outlived the crash");
            BackfillRun resumed = queue.backfill(ChildProcess.backfill(log));
            assertEquals(runId, resumed.id(), "the same backfill, running: the same run");
            try (WorkerPool pool = queue.workersFor(resumed).concurrency(4).start()) {
                assertEquals(RunStatus.SUCCEEDED, resumed.await(Waits.LONG), resumed::toText);
            }
            Map<String, Integer> fetched = new HashMap<>();
            lines(log, "fetch").forEach(day -> fetched.merge(day, 1, Integer::sum));
            assertEquals(12, fetched.size(), "every day ran");
            for (String day : finished) {
                assertEquals(1, fetched.get(day), day + " had finished before the kill and ran again");
            }
            assertEquals(List.of(), queue.limits().list());
        }
    }

    /** @return the days of the log's lines that start with {@code step} */
    private static List<String> lines(Path log, String step) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.US_ASCII).stream()
                    .filter(line -> line.startsWith(step + " ")).map(line -> line.substring(step.length() + 1)).toList()
                    : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
