package io.queuack.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slots of cron expressions and intervals, through both daylight-saving changes of a zone. */
class TimingTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static List<ZonedDateTime> slots(Timing timing, String from, String to, ZoneId zone) {
        List<ZonedDateTime> slots = new ArrayList<>();
        Instant end = ZonedDateTime.parse(to).toInstant();
        Instant at = ZonedDateTime.parse(from).toInstant();
        while (true) {
            Instant next = timing.nextAfter(at, zone).orElseThrow();
            if (next.isAfter(end)) {
                return slots;
            }
            slots.add(next.atZone(zone));
            at = next;
        }
    }

    @Test
    void aDailyTimeTheClocksSkipFiresOnceShiftedByTheGap() {
        List<ZonedDateTime> slots = slots(Timing.cron("30 2 * * *"), "2026-03-07T00:00-05:00[America/New_York]",
                "2026-03-10T00:00-04:00[America/New_York]", NEW_YORK);
        assertEquals(List.of("2026-03-07T02:30-05:00", "2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00"),
                slots.stream().map(slot -> slot.toOffsetDateTime().toString()).toList());
    }

    @Test
    void aDailyTimeTheClocksRepeatFiresOnce() {
        List<ZonedDateTime> slots = slots(Timing.cron("30 1 * * *"), "2026-10-31T00:00-04:00[America/New_York]",
                "2026-11-03T00:00-05:00[America/New_York]", NEW_YORK);
        assertEquals(List.of("2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                slots.stream().map(slot -> slot.toOffsetDateTime().toString()).toList());
    }

    @Test
    void anHourlyCronFiresOncePerWallClockHourOnBothChangeDays() {
        Timing hourly = Timing.cron("0 * * * *");
        assertEquals(23, slots(hourly, "2026-03-07T23:30-05:00[America/New_York]",
                "2026-03-08T23:59-04:00[America/New_York]", NEW_YORK).size(), "spring: 23 hours, 02:00 is 03:00");
        assertEquals(24, slots(hourly, "2026-10-31T23:30-04:00[America/New_York]",
                "2026-11-01T23:59-05:00[America/New_York]", NEW_YORK).size(), "fall: the repeated 01:00 fires once");
    }

    @Test
    void anIntervalCountsRealTimeThroughTheRepeatedHour() {
        assertEquals(25, slots(Timing.every(Duration.ofHours(1)), "2026-10-31T23:30-04:00[America/New_York]",
                "2026-11-01T23:59-05:00[America/New_York]", NEW_YORK).size());
    }

    @Test
    void slotsBetweenKeepTheLatestWhenThereAreMore() {
        Timing daily = Timing.cron("0 6 * * *");
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        List<Instant> all = daily.slotsBetween(from, Instant.parse("2026-01-31T12:00:00Z"), ZoneId.of("UTC"), 100);
        assertEquals(31, all.size());
        List<Instant> last = daily.slotsBetween(from, Instant.parse("2026-01-31T12:00:00Z"), ZoneId.of("UTC"), 3);
        assertEquals(all.subList(28, 31), last);
    }

    @Test
    void flavoursAreNamedAndCheckedWithTheirFields() {
        ZoneId utc = ZoneId.of("UTC");
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        Instant expected = Instant.parse("2026-06-01T06:30:00Z");
        assertEquals(expected, Timing.cron(CronFlavor.UNIX, "30 6 * * *").nextAfter(start, utc).orElseThrow());
        assertEquals(expected, Timing.cron(CronFlavor.QUARTZ, "0 30 6 * * ?").nextAfter(start, utc).orElseThrow());
        assertEquals(expected, Timing.cron(CronFlavor.SPRING, "0 30 6 * * *").nextAfter(start, utc).orElseThrow());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Timing.cron(CronFlavor.QUARTZ, "30 6 * * *"));
        assertTrue(bad.getMessage().contains("quartz") && bad.getMessage().contains("second minute hour"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Timing.every(Duration.ofMillis(10)));
    }

    @Test
    void missedSlotPoliciesChooseWhatFires() {
        Instant now = Instant.parse("2026-06-10T06:00:30Z");
        List<Instant> due = List.of(Instant.parse("2026-06-08T06:00:00Z"), Instant.parse("2026-06-09T06:00:00Z"),
                Instant.parse("2026-06-10T06:00:00Z"));
        assertEquals(due.subList(2, 3), MissedSlots.skip().choose(due, now), "the on-time slot fires");
        assertEquals(due.subList(2, 3), MissedSlots.latest().choose(due, now));
        assertEquals(due, MissedSlots.catchUp(5).choose(due, now));
        Instant later = now.plus(Duration.ofHours(1));
        assertEquals(List.of(), MissedSlots.skip().choose(due, later));
        assertEquals(due.subList(2, 3), MissedSlots.latest().choose(due, later));
        assertEquals(due.subList(1, 3), MissedSlots.catchUp(2).choose(due, later));
        assertEquals(MissedSlots.catchUp(7), MissedSlots.parse("catch-up:7"));
    }
}
