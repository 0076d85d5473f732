package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.RunTask;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A run as HTML: its picture, then a Gantt-style timeline, one bar per task from its start to its end (or to
 * now while it runs), coloured by state, with its duration. Self-contained: inline styles only.
 */
final class Timeline {

    private Timeline() {
    }

    static String html(DagRun run, String svg) {
        List<RunTask> tasks = run.tasks().stream().filter(task -> task.startedAt() != null)
                .sorted(Comparator.comparing(RunTask::startedAt)).toList();
        StringBuilder html = new StringBuilder("<div class=\"queuack-run\">").append(svg);
        if (tasks.isEmpty()) {
            return html.append("</div>").toString();
        }
        Instant start = tasks.get(0).startedAt();
        Instant end = tasks.stream().map(task -> task.finishedAt() != null ? task.finishedAt() : Instant.now())
                .max(Comparator.naturalOrder()).orElse(start);
        double span = Math.max(1, Duration.between(start, end).toNanos());
        html.append("<table class=\"queuack-timeline\" style=\"border-collapse:collapse;font:12px sans-serif\">")
                .append("<tr><th style=\"text-align:left\">task</th><th style=\"text-align:left;width:420px\">timeline (")
                .append(String.format(Locale.ROOT, "%.2f s", span / 1e9)).append(")</th><th>duration</th></tr>");
        for (RunTask task : tasks) {
            Instant finish = task.finishedAt() != null ? task.finishedAt() : Instant.now();
            double left = Duration.between(start, task.startedAt()).toNanos() / span * 100;
            double width = Math.max(0.5, Duration.between(task.startedAt(), finish).toNanos() / span * 100);
            html.append("<tr><td>").append(Html.escape(task.name())).append("</td><td><div style=\"position:relative;")
                    .append("height:12px;background:#f4f4f4\"><div title=\"").append(task.status()).append("\" style=\"")
                    .append(String.format(Locale.ROOT, "position:absolute;left:%.2f%%;width:%.2f%%;", left, width))
                    .append("height:12px;background:").append(colour(task.status())).append("\"></div></div></td><td>")
                    .append(String.format(Locale.ROOT, "%.3f s", Duration.between(task.startedAt(), finish).toNanos() / 1e9))
                    .append("</td></tr>");
        }
        return html.append("</table></div>").toString();
    }

    private static String colour(JobStatus status) {
        return switch (status) {
            case SUCCEEDED -> "#4caf50";
            case RUNNING -> "#2196f3";
            case FAILED, DEAD, EXPIRED, ORPHANED -> "#e53935";
            case CANCELLED, SKIPPED -> "#9e9e9e";
            default -> "#ffb300";
        };
    }
}
