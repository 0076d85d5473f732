package io.queuack.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One firing of a schedule: which schedule and which slot. A scheduled task whose schedule gives no argument
 * of its own receives its slot as the argument (register it with {@code Slot.class}); a scheduled DAG run gets
 * the slot as the run parameters {@value #SLOT}, {@value #DAY} and {@value #SCHEDULE}.
 *
 * @param schedule the schedule's name
 * @param time     the slot's time
 * @param zone     the schedule's time zone (an id such as {@code "Europe/Paris"})
 */
public record Slot(String schedule, Instant time, String zone) {

    /** Run parameter: the slot as a local date-time with its offset, {@code "2026-03-29T06:00+02:00"}. */
    public static final String SLOT = "slot";
    /** Run parameter: the slot's local date, {@code "2026-03-29"}. */
    public static final String DAY = "day";
    /** Run parameter: the schedule's name. */
    public static final String SCHEDULE = "schedule";

    public Slot {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(zone, "zone");
    }

    /** @return the slot's time in the schedule's zone */
    public ZonedDateTime local() {
        return time.atZone(ZoneId.of(zone));
    }

    /** @return the slot's local date in the schedule's zone */
    public LocalDate day() {
        return local().toLocalDate();
    }

    /** @return the run parameters a scheduled DAG run gets: {@value #SLOT}, {@value #DAY} and {@value #SCHEDULE} */
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(SLOT, local().toOffsetDateTime().toString());
        parameters.put(DAY, day().toString());
        parameters.put(SCHEDULE, schedule);
        return parameters;
    }

    /** @return the key that makes the slot fire once however many processes try: {@code schedule:<name>@<time>} */
    public String key() {
        return "schedule:" + schedule + "@" + time;
    }
}
