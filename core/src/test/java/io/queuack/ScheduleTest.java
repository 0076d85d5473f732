package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Job;
import io.queuack.job.JobQuery;
import io.queuack.schedule.MissedSlots;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.ScheduleInfo;
import io.queuack.schedule.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Schedules driven by a test clock: each slot fires once, missed slots follow the policy, pauses skip. */
class ScheduleTest extends QueueTestBase {

    private static List<Job> jobsOf(Queuack queue, String task) {
        return queue.jobs(JobQuery.all().limit(1000)).stream().filter(job -> job.task().equals(task)).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachSlotFiresOnceWithItsSlotAsArgument(Backend backend) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-06-01T05:00:00Z"));
        Queuack queue = open(backend, builder -> builder.clock(clock));
        queue.register("report", Slot.class, (ctx, slot) -> slot.day().toString());
        ScheduleInfo saved = queue.schedules().save(Schedule.task("daily", "report").cron("0 6 * * *").zone("UTC"));
        assertEquals(Instant.parse("2026-06-01T06:00:00Z"), saved.nextFireAt());
        assertEquals(0, queue.schedules().fireDue());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int day = 0; day < 40; day++) {
                clock.advance(Duration.ofDays(1));
                List<Future<Integer>> racing = List.of(threads.submit(() -> queue.schedules().fireDue()),
                        threads.submit(() -> queue.schedules().fireDue()), threads.submit(() -> queue.schedules().fireDue()));
                int fired = 0;
                for (Future<Integer> one : racing) {
                    fired += one.get();
                }
                assertEquals(1, fired, "day " + day + " fires once");
            }
        } finally {
            threads.shutdownNow();
        }
        List<Job> jobs = jobsOf(queue, "report");
        assertEquals(40, jobs.size());
        assertTrue(jobs.stream().allMatch(job -> job.argumentsJson().contains("\"schedule\":\"daily\"")));
        assertEquals(Instant.parse("2026-07-11T06:00:00Z"), queue.schedules().get("daily").orElseThrow().nextFireAt());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void missedSlotsFollowThePolicyAndPausesSkip(Backend backend) {
        TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));
        Queuack queue = open(backend, builder -> builder.clock(clock));
        queue.register("a", ctx -> null);
        queue.register("b", ctx -> null);
        queue.register("c", ctx -> null);
        queue.schedules().save(Schedule.task("skip", "a").every(Duration.ofHours(1)).missed(MissedSlots.skip()));
        queue.schedules().save(Schedule.task("latest", "b").every(Duration.ofHours(1)));
        queue.schedules().save(Schedule.task("catch-up", "c").every(Duration.ofHours(1)).missed(MissedSlots.catchUp(5)));
        clock.advance(Duration.ofHours(10).plusMinutes(30));
        assertEquals(0 + 1 + 5, queue.schedules().fireDue());
        assertEquals(List.of(0, 1, 5), List.of(jobsOf(queue, "a").size(), jobsOf(queue, "b").size(),
                jobsOf(queue, "c").size()));
        queue.schedules().pause("latest");
        clock.advance(Duration.ofHours(3));
        queue.schedules().fireDue();
        assertEquals(1, jobsOf(queue, "b").size(), "paused: nothing fires");
        ScheduleInfo resumed = queue.schedules().resume("latest");
        assertEquals(Instant.parse("2026-06-01T14:00:00Z"), resumed.nextFireAt(), "resumed from now on");
        assertThrows(IllegalArgumentException.class, () -> queue.schedules().pause("nope"));
        assertTrue(queue.schedules().delete("latest"));
        assertEquals(List.of("catch-up", "skip"), queue.schedules().list().stream().map(ScheduleInfo::name).toList());
    }

    @org.junit.jupiter.api.Test
    void aScheduleDamagedInTheFileIsLeftOutAndTheOthersFire() throws Exception {
        java.nio.file.Path file = dir.resolve("damaged.duckdb");
        TestClock clock = new TestClock(Instant.parse("2026-06-01T05:00:00Z"));
        try (Queuack queue = Queuack.builder().duckdb(file).clock(clock).open()) {
            queue.register("report", Slot.class, (ctx, slot) -> null);
            queue.schedules().save(Schedule.task("good", "report").cron("0 6 * * *").zone("UTC"));
            queue.schedules().save(Schedule.task("broken", "report").cron("0 6 * * *").zone("UTC"));
        }
        try (java.sql.Connection sql = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
             java.sql.Statement statement = sql.createStatement()) {
            statement.execute("UPDATE schedules SET definition = '{\"kind\": 7}' WHERE name = 'broken'");
        }
        try (Queuack queue = Queuack.builder().duckdb(file).clock(clock).open()) {
            queue.register("report", Slot.class, (ctx, slot) -> null);
            assertEquals(List.of("good"), queue.schedules().list().stream().map(ScheduleInfo::name).toList());
            clock.advance(Duration.ofHours(2));
            assertEquals(1, queue.schedules().fireDue(), "the good one fires; the broken one is passed over");
            assertTrue(assertThrows(io.queuack.error.QueuackException.class, () -> queue.schedules().get("broken"))
                    .getMessage().contains("delete it and save it again"));
            assertTrue(queue.schedules().delete("broken"));
        }
    }
}
