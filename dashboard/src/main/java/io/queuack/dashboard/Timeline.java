package io.queuack.dashboard;

import io.queuack.job.Job;
import java.time.Duration;
import java.time.Instant;

/** One job's life as a bar: waiting (enqueued to started) then running (started to finished, or now). */
final class Timeline {

    private Timeline() {
    }

    static String svg(Job job, Instant now) {
        Instant start = job.createdAt();
        Instant started = job.startedAt();
        Instant end = job.finishedAt() != null ? job.finishedAt() : now;
        long total = Math.max(1, Duration.between(start, end).toMillis());
        double runFrom = started == null ? 100 : 100.0 * Duration.between(start, started).toMillis() / total;
        runFrom = Math.max(0, Math.min(100, runFrom));
        Html svg = new Html().raw("<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\">")
                .raw("<title>Waited " + Html.duration(Duration.ofMillis((long) (total * runFrom / 100))) + ", ran "
                        + Html.duration(job.duration()) + "</title>")
                .raw(String.format(java.util.Locale.ROOT, "<rect class=\"wait\" x=\"0\" y=\"0\" width=\"%.2f\" height=\"8\"/>",
                        runFrom));
        if (started != null) {
            svg.raw(String.format(java.util.Locale.ROOT, "<rect class=\"run %s\" x=\"%.2f\" y=\"0\" width=\"%.2f\""
                    + " height=\"8\"/>", job.status().dbName(), runFrom, 100 - runFrom));
        }
        return svg.raw("</svg><p class=\"legend\"><span class=\"wait\">waiting</span> <span class=\"run\">running</span>"
                + " from enqueue to " + (job.finishedAt() != null ? "finish" : "now") + "</p>").toString();
    }
}
