package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.TestClock;
import io.queuack.dag.Dag;
import io.queuack.job.JobQuery;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Slot;
import io.queuack.storage.postgres.FreshSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two queues on one PostgreSQL store (as two hosts would be) fire every slot of a schedule once. */
class SchedulesOnPostgresTest {

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    @Test
    void twoQueuesFiringAtOnceStartEachSlotOnce() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
        Dag daily = Dag.builder("daily").task("load", ctx -> ctx.parameter("day", String.class)).build();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Queuack one = Queuack.builder().url(schema.url()).clock(clock).open();
             Queuack two = Queuack.builder().url(schema.url()).clock(clock).open()) {
            for (Queuack queue : List.of(one, two)) {
                queue.register("report", Slot.class, (ctx, slot) -> slot.day().toString());
                queue.register(daily);
            }
            one.schedules().save(Schedule.task("reports", "report").cron("0 6 * * *").zone("Europe/Paris"));
            two.schedules().save(Schedule.dag("loads", daily).cron("30 2 * * *").zone("Europe/Paris"));
            for (int day = 0; day < 45; day++) {
                clock.advance(Duration.ofDays(1));
                Future<Integer> first = threads.submit(() -> one.schedules().fireDue());
                Future<Integer> second = threads.submit(() -> two.schedules().fireDue());
                assertEquals(2, first.get() + second.get(), "day " + day + ": one report and one run");
            }
            assertEquals(45, one.jobs(JobQuery.all().limit(1000)).stream().filter(j -> j.task().equals("report")).count());
            List<DagRun> runs = one.dagRuns("daily", 100);
            assertEquals(45, runs.size());
            Set<Object> days = new TreeSet<>();
            runs.forEach(run -> days.add(run.parameters().get("day")));
            assertEquals(45, days.size(), "every run has its own day, through the spring-forward night of 29 March");
        } finally {
            threads.shutdownNow();
        }
    }
}
