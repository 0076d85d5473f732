package io.queuack.kernel;

import io.queuack.schedule.Schedule;
import io.queuack.schedule.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The stored schedules of a queue with their next fire times, as one table (what {@code %schedule list} shows).
 *
 * @param schedules the schedules, by name
 * @param at        when the list was read (the "in ..." column counts from then)
 */
public record ScheduleTable(List<ScheduleInfo> schedules, Instant at) {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    public ScheduleTable {
        schedules = List.copyOf(schedules);
        Objects.requireNonNull(at, "at");
    }

    /** @return the table as text and HTML */
    MimeBundle render() {
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder("Schedules (" + schedules.size() + ")");
        for (ScheduleInfo info : schedules) {
            Schedule schedule = info.schedule();
            String next = info.next().map(time -> local(time, schedule.zone()) + " (" + relative(time) + ")")
                    .orElse("none: the timing has no more slots");
            String state = info.paused() ? "paused" : "active";
            rows.add(List.of(info.name(), schedule.describeTarget(), schedule.timing().describe(), schedule.zone().getId(),
                    next, info.lastSlot() == null ? "" : local(info.lastSlot(), schedule.zone()),
                    schedule.missed().toString(), state));
            text.append('\n').append(info.name()).append(" · ").append(schedule.describeTarget()).append(" · ")
                    .append(schedule.timing().describe()).append(" in ").append(schedule.zone().getId()).append(" · next ")
                    .append(next).append(" · missed slots: ").append(schedule.missed()).append(" · ").append(state);
        }
        String html = "<div class=\"queuack-schedules\"><p><b>Schedules</b> (" + schedules.size() + ")</p>"
                + Html.table(List.of("name", "starts", "timing", "zone", "next fire", "last slot", "missed slots",
                "state"), rows) + "</div>";
        return MimeBundle.text(text.toString()).with(MimeBundle.HTML, html);
    }

    private static String local(Instant time, ZoneId zone) {
        return LOCAL.format(time.atZone(zone));
    }

    /** @return how far {@code time} is from {@link #at}: {@code in 5 min}, {@code in 2 h 10 min}, {@code 3 s ago} */
    private String relative(Instant time) {
        Duration gap = Duration.between(at, time);
        String amount = words(gap.abs());
        return gap.isNegative() ? amount + " ago" : "in " + amount;
    }

    private static String words(Duration gap) {
        long seconds = gap.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3_600 + " h";
    }
}
