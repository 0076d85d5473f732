package io.queuack.dashboard;

import io.queuack.job.Throughput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jobs finished per minute over the last hour as an SVG bar chart: succeeded in green, failed in red on top. */
final class ThroughputChart {

    private static final int MINUTES = 60;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 160;

    /** The jobs of every queue that finished in one minute. */
    private record Minute(Instant start, long succeeded, long failed) {
    }

    private ThroughputChart() {
    }

    static String svg(List<Throughput> rows, Instant now) {
        Map<Instant, long[]> byMinute = new HashMap<>();
        for (Throughput row : rows) {
            long[] counts = byMinute.computeIfAbsent(row.minute(), minute -> new long[2]);
            counts[0] += row.succeeded();
            counts[1] += row.failed();
        }
        Instant last = now.truncatedTo(ChronoUnit.MINUTES);
        List<Minute> minutes = new ArrayList<>();
        long most = 1;
        for (int i = MINUTES - 1; i >= 0; i--) {
            Instant start = last.minusSeconds(60L * i);
            long[] counts = byMinute.getOrDefault(start, new long[2]);
            minutes.add(new Minute(start, counts[0], counts[1]));
            most = Math.max(most, counts[0] + counts[1]);
        }
        double bar = (double) WIDTH / MINUTES;
        double scale = (HEIGHT - 20.0) / most;
        Html svg = new Html().raw("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\">")
                .raw("<title>Jobs finished per minute, last hour (most: " + most + ")</title>")
                .raw("<text x=\"4\" y=\"12\" class=\"axis\">" + most + "/min</text>");
        for (int i = 0; i < minutes.size(); i++) {
            Minute minute = minutes.get(i);
            double ok = minute.succeeded() * scale;
            double bad = minute.failed() * scale;
            double x = i * bar + 1;
            String tip = "<title>" + Html.time(minute.start()).substring(11, 16) + " UTC: " + minute.succeeded()
                    + " succeeded, " + minute.failed() + " failed</title>";
            svg.raw(String.format(java.util.Locale.ROOT, "<rect class=\"ok\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                    + " height=\"%.1f\">%s</rect>", x, HEIGHT - ok, bar - 2, ok, tip));
            if (bad > 0) {
                svg.raw(String.format(java.util.Locale.ROOT, "<rect class=\"bad\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                        + " height=\"%.1f\">%s</rect>", x, HEIGHT - ok - bad, bar - 2, bad, tip));
            }
        }
        return svg.raw("</svg>").toString();
    }
}
