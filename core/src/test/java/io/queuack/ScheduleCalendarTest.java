package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queuack.job.Job;
import io.queuack.job.JobQuery;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Slot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Schedules in Europe/Paris with the test clock moved 20 minutes at a time and the due slots fired at each step (no
 * sleeping): a daily 02:30 fires once a day (at 03:30 on the spring-forward day, at the first 02:30 on the fall-back
 * day), a monthly one once a month, an hourly one once per wall-clock hour (23 times on the short day, 24 on the
 * long one), an interval every real hour (25 times on the long day). A whole year in memory; the weeks of both
 * changes in a DuckDB file.
 */
class ScheduleCalendarTest extends QueueTestBase {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the slots fired between the two days, by schedule, as local date-times in Paris */
    private Map<String, List<Slot>> fire(QueuackBuilder store, String first, String end) {
        TestClock clock = new TestClock(LocalDate.parse(first).atStartOfDay(PARIS).toInstant());
        Queuack queue = closeLater(store.clock(clock).open());
        queue.register("tick", Slot.class, (ctx, slot) -> null);
        queue.schedules().save(Schedule.task("nightly", "tick").cron("30 2 * * *").zone(PARIS));
        queue.schedules().save(Schedule.task("monthly", "tick").cron("0 6 1 * *").zone(PARIS));
        queue.schedules().save(Schedule.task("hourly", "tick").cron("15 * * * *").zone(PARIS));
        queue.schedules().save(Schedule.task("real-hours", "tick").every(Duration.ofHours(1)).zone(PARIS));
        Instant stop = LocalDate.parse(end).atStartOfDay(PARIS).toInstant();
        while (clock.instant().isBefore(stop)) {
            clock.advance(Duration.ofMinutes(20));
            queue.schedules().fireDue();
        }
        Map<String, List<Slot>> slots = new TreeMap<>();
        for (Job job : queue.jobs(JobQuery.all().limit(JobQuery.MAX_LIMIT))) {
            Slot slot = slot(job);
            slots.computeIfAbsent(slot.schedule(), name -> new ArrayList<>()).add(slot);
        }
        return slots;
    }

    @Test
    void aYearInMemoryFiresEverySlotOnce() {
        Map<String, List<Slot>> slots = fire(Queuack.builder().inMemory(), "2026-01-01", "2027-01-01");
        assertEquals(365, slots.get("nightly").size());
        assertEquals(365, slots.get("nightly").stream().map(Slot::day).distinct().count(), "once a day");
        assertEquals(12, slots.get("monthly").size());
        assertEquals(12, slots.get("monthly").stream().map(slot -> slot.day().getMonth()).distinct().count());
        assertEquals(365 * 24 - 1, slots.get("hourly").size(), "no 02:15 on the short day, one on the long day");
        assertEquals(365 * 24, slots.get("real-hours").size());
        daylightSavingDays(slots);
    }

    @Test
    void theWeeksOfBothChangesInADuckDbFile() {
        daylightSavingDays(fire(Queuack.builder().duckdb(dir.resolve("spring.duckdb")), "2026-03-27", "2026-03-31"));
        daylightSavingDays(fire(Queuack.builder().duckdb(dir.resolve("autumn.duckdb")), "2026-10-23", "2026-10-27"));
    }

    /** Checks whichever of the two change days the slots cover. */
    private static void daylightSavingDays(Map<String, List<Slot>> slots) {
        Map<LocalDate, Long> hourly = perDay(slots.get("hourly"));
        Map<LocalDate, Long> realHours = perDay(slots.get("real-hours"));
        LocalDate spring = LocalDate.parse("2026-03-29");
        LocalDate autumn = LocalDate.parse("2026-10-25");
        if (hourly.containsKey(spring)) {
            assertEquals(LocalDateTime.parse("2026-03-29T03:30"), nightlyOn(slots, spring).local().toLocalDateTime(),
                    "the skipped 02:30 fires an hour on");
            assertEquals(23, hourly.get(spring));
            assertEquals(23, realHours.get(spring));
        }
        if (hourly.containsKey(autumn)) {
            assertEquals(Instant.parse("2026-10-25T00:30:00Z"), nightlyOn(slots, autumn).time(),
                    "the first of the two 02:30s (CEST)");
            assertEquals(24, hourly.get(autumn), "the repeated hour fires once");
            assertEquals(25, realHours.get(autumn), "an interval counts real hours");
        }
    }

    private static Slot nightlyOn(Map<String, List<Slot>> slots, LocalDate day) {
        List<Slot> that = slots.get("nightly").stream().filter(slot -> slot.day().equals(day)).toList();
        assertEquals(1, that.size(), "once on " + day);
        return that.get(0);
    }

    private static Map<LocalDate, Long> perDay(List<Slot> slots) {
        return slots.stream().collect(Collectors.groupingBy(Slot::day, Collectors.counting()));
    }

    /** @return the slot a job was given as its argument */
    private static Slot slot(Job job) {
        try {
            JsonNode node = JSON.readTree(job.argumentsJson());
            return new Slot(node.get("schedule").asText(), Instant.parse(node.get("time").asText()),
                    node.get("zone").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
