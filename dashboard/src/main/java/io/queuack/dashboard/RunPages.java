package io.queuack.dashboard;

import io.queuack.DagRun;
import io.queuack.RunTask;
import io.queuack.draw.Theme;
import io.queuack.job.RunSummary;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pages about DAG runs: run history (per DAG), one run with its live picture, two runs side by side. */
final class RunPages {

    private static final int HISTORY = 100;

    private RunPages() {
    }

    static String runs(View view) {
        String dag = view.query().get("dag");
        List<RunSummary> runs = view.queue().runSummaries(dag, HISTORY);
        Html html = new Html().raw("<h1>DAG runs").raw(dag == null ? "" : " of ").text(dag == null ? "" : dag)
                .raw("</h1>");
        if (runs.isEmpty()) {
            return html.raw("<p class=\"empty\">No DAG runs yet.</p>").toString();
        }
        html.raw("<form method=\"get\" action=\"compare\"><div class=\"scroll\"><table><thead><tr><th>A</th><th>B</th>")
                .raw("<th class=\"num\">Run</th><th>DAG</th><th>Status</th><th>Started (UTC)</th>")
                .raw("<th class=\"num\">Took</th><th class=\"num\">Done</th></tr></thead><tbody>");
        for (RunSummary run : runs) {
            html.raw("<tr><td><input type=\"radio\" name=\"a\" value=\"" + run.id() + "\" aria-label=\"compare as A\"></td>")
                    .raw("<td><input type=\"radio\" name=\"b\" value=\"" + run.id() + "\" aria-label=\"compare as B\"></td>")
                    .raw("<td class=\"num\">").link("run?id=" + run.id(), run.id()).raw("</td><td>")
                    .link("runs?dag=" + Query.encode(run.dag()), run.dag()).raw("</td><td>")
                    .element("span", "class=\"badge " + run.status().dbName() + "\"", run.status().dbName())
                    .raw("</td>").element("td", "", Html.time(run.createdAt()))
                    .element("td", "class=\"num\"", Html.duration(run.duration(view.now())))
                    .element("td", "class=\"num\"", Math.round(run.progress() * 100) + "%").raw("</tr>");
        }
        return html.raw("</tbody></table></div><button type=\"submit\">Compare A and B</button></form>").toString();
    }

    private static DagRun find(View view, String parameter) {
        Long id = view.query().number(parameter);
        if (id == null) {
            throw new Query.BadRequest("Which run? Give ?" + parameter + "=<run id>");
        }
        return view.queue().dagRun(id).orElseThrow(() -> new Pages.NotFound("No DAG run " + id + " is stored"));
    }

    static String run(View view) {
        DagRun run = find(view, "id");
        Html html = new Html().raw("<h1>Run ").text(run.id()).raw(" of ").link("runs?dag=" + Query.encode(run.dagName()),
                run.dagName()).raw(" ").element("span", "class=\"badge " + run.status().dbName() + "\"",
                run.status().dbName()).raw("</h1><p>Started ").text(Html.time(run.createdAt())).raw(" UTC")
                .raw(run.isFinished() ? ", took " + Html.escape(Html.duration(run.duration())) : ", running")
                .raw(". ").text(Math.round(run.progress() * 100)).raw("% of ").text(run.taskCount()).raw(" tasks done.</p>");
        html.raw("<div class=\"picture\">").raw(run.picture().toSvg(Theme.DEFAULT)).raw("</div>");
        html.raw("<div class=\"scroll\"><table><thead><tr><th>Task</th><th>Status</th><th class=\"num\">Attempts</th>")
                .raw("<th class=\"num\">Took</th><th>Worker</th><th>Error</th></tr></thead><tbody>");
        for (RunTask task : run.tasks()) {
            html.raw("<tr><td>").link("job?id=" + task.jobId(), task.name()).raw("</td><td>");
            QueuePages.badge(html, task.status());
            html.raw("</td>").element("td", "class=\"num\"", task.attempts() + "/" + task.maxAttempts())
                    .element("td", "class=\"num\"", Html.duration(took(task))).element("td", "class=\"worker\"", task.worker())
                    .element("td", "class=\"error\"", task.error() == null ? "" : task.error().summary()).raw("</tr>");
        }
        return html.raw("</tbody></table></div>").toString();
    }

    private static Duration took(RunTask task) {
        return task.startedAt() == null || task.finishedAt() == null ? null
                : Duration.between(task.startedAt(), task.finishedAt());
    }

    static String compare(View view) {
        DagRun a = find(view, "a");
        DagRun b = find(view, "b");
        Map<String, RunTask> left = byName(a);
        Map<String, RunTask> right = byName(b);
        Set<String> names = new LinkedHashSet<>(left.keySet());
        names.addAll(right.keySet());
        Html html = new Html().raw("<h1>Run ").link("run?id=" + a.id(), a.id()).raw(" beside run ")
                .link("run?id=" + b.id(), b.id()).raw("</h1><div class=\"scroll\"><table><thead><tr><th>Task</th>")
                .raw("<th>A: ").text(a.status().dbName()).raw("</th><th>B: ").text(b.status().dbName()).raw("</th>")
                .raw("<th class=\"num\">A took</th><th class=\"num\">B took</th><th class=\"num\">B − A</th></tr></thead><tbody>");
        for (String name : names) {
            RunTask x = left.get(name);
            RunTask y = right.get(name);
            Duration dx = x == null ? null : took(x);
            Duration dy = y == null ? null : took(y);
            html.element("td", "", name).raw("<td>");
            if (x != null) {
                QueuePages.badge(html, x.status());
            }
            html.raw("</td><td>");
            if (y != null) {
                QueuePages.badge(html, y.status());
            }
            html.raw("</td>").element("td", "class=\"num\"", Html.duration(dx)).element("td", "class=\"num\"",
                    Html.duration(dy));
            String delta = dx == null || dy == null ? "" : (dy.compareTo(dx) >= 0 ? "+" : "−")
                    + Html.duration(dy.minus(dx).abs());
            html.element("td", "class=\"num\"", delta).raw("</tr>");
        }
        html.raw("<tr class=\"total\"><td>whole run</td><td></td><td></td>")
                .element("td", "class=\"num\"", Html.duration(a.duration()))
                .element("td", "class=\"num\"", Html.duration(b.duration())).raw("<td></td></tr>");
        return html.raw("</tbody></table></div>").toString();
    }

    private static Map<String, RunTask> byName(DagRun run) {
        Map<String, RunTask> tasks = new LinkedHashMap<>();
        run.tasks().forEach(task -> tasks.put(task.name(), task));
        return tasks;
    }
}
