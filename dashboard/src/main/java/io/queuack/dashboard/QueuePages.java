package io.queuack.dashboard;

import io.queuack.job.Attempt;
import io.queuack.job.Job;
import io.queuack.job.JobError;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** The pages about jobs: queues with counts and throughput, the job list, one job, dead letters. */
final class QueuePages {

    /** Jobs per page of the job list. */
    static final int PAGE_SIZE = 50;
    private static final JobStatus[] COLUMNS = {JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED,
        JobStatus.SUCCEEDED, JobStatus.DEAD, JobStatus.BLOCKED, JobStatus.CANCELLED, JobStatus.SKIPPED};

    private QueuePages() {
    }

    static String overview(View view) {
        Counts.Snapshot counts = view.counts().get();
        Html html = new Html().raw("<h1>Queues</h1>");
        if (counts == null) {
            return html.raw("<p class=\"empty\" id=\"counting\">Counting the store's jobs… (the page fills in by"
                    + " itself)</p>").toString();
        }
        List<QueueStats> stats = counts.stats();
        if (stats.isEmpty()) {
            html.raw("<p class=\"empty\">No jobs yet.</p>");
        } else {
            html.raw("<div class=\"scroll\"><table><thead><tr><th>Queue</th>");
            for (JobStatus status : COLUMNS) {
                html.element("th", "class=\"num\"", status.dbName());
            }
            html.raw("<th class=\"num\">later</th></tr></thead><tbody>");
            for (QueueStats queue : stats) {
                html.raw("<tr><td>").link("jobs?queue=" + Query.encode(queue.queue()), queue.queue());
                if (queue.paused()) {
                    html.raw(" <span class=\"badge paused\">paused</span>");
                }
                html.raw("</td>");
                for (JobStatus status : COLUMNS) {
                    long count = queue.count(status);
                    html.raw("<td class=\"num\">");
                    if (count > 0) {
                        html.link("jobs?queue=" + Query.encode(queue.queue()) + "&status=" + status.dbName(),
                                String.format(Locale.ROOT, "%,d", count));
                    } else {
                        html.raw("<span class=\"zero\">0</span>");
                    }
                    html.raw("</td>");
                }
                html.element("td", "class=\"num\"", String.format(Locale.ROOT, "%,d", queue.scheduled())).raw("</tr>");
            }
            html.raw("</tbody></table></div>");
        }
        html.raw("<p class=\"legend\">Counts as of ").text(Html.time(counts.at())).raw(" UTC</p>");
        html.raw("<h2>Finished per minute, last hour</h2>");
        html.raw(ThroughputChart.svg(counts.throughput(), view.now()));
        return html.toString();
    }

    static String jobs(View view) {
        Query query = view.query();
        JobQuery filter = JobQuery.all().newestFirst().limit(PAGE_SIZE);
        String queue = query.get("queue");
        String status = query.get("status");
        String task = query.get("task");
        Instant from = time(query, "from");
        Instant to = time(query, "to");
        Long before = query.number("before");
        if (queue != null) {
            filter = filter.queue(queue);
        }
        if (status != null) {
            filter = filter.status(JobStatus.fromDbName(status));
        }
        if (task != null) {
            filter = filter.task(task);
        }
        if (from != null || to != null) {
            filter = filter.enqueuedBetween(from, to);
        }
        if (before != null) {
            filter = filter.idBelow(before);
        }
        List<Job> jobs = view.queue().jobs(filter);
        Html html = new Html().raw("<h1>Jobs</h1>");
        filterForm(html, queue, status, task, query.get("from"), query.get("to"));
        jobTable(html, view, jobs, "jobs");
        if (jobs.size() == PAGE_SIZE) {
            String next = "jobs?" + (queue == null ? "" : "queue=" + Query.encode(queue) + "&")
                    + (status == null ? "" : "status=" + Query.encode(status) + "&")
                    + (task == null ? "" : "task=" + Query.encode(task) + "&")
                    + (from == null ? "" : "from=" + Query.encode(query.get("from")) + "&")
                    + (to == null ? "" : "to=" + Query.encode(query.get("to")) + "&")
                    + "before=" + jobs.get(jobs.size() - 1).id();
            html.raw("<p class=\"pager\">").link(next, "Older jobs →").raw("</p>");
        }
        return html.toString();
    }

    private static Instant time(Query query, String name) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Query.BadRequest("'" + name + "' must be a UTC time such as 2026-12-07T10:30, was '" + value + "'");
        }
    }

    private static void filterForm(Html html, String queue, String status, String task, String from,
                                   String to) {
        html.raw("<form class=\"filters\" method=\"get\" action=\"jobs\"><label>Queue <input name=\"queue\" value=\"")
                .text(queue).raw("\"></label>");
        html.raw("<label>Status <select name=\"status\"><option value=\"\">any</option>");
        for (JobStatus each : JobStatus.values()) {
            html.raw("<option").raw(each.dbName().equals(status) ? " selected" : "").raw(">").text(each.dbName())
                    .raw("</option>");
        }
        html.raw("</select></label><label>Task <input name=\"task\" value=\"").text(task).raw("\"></label>")
                .raw("<label>Enqueued from (UTC) <input type=\"datetime-local\" name=\"from\" value=\"").text(from)
                .raw("\"></label><label>to <input type=\"datetime-local\" name=\"to\" value=\"").text(to)
                .raw("\"></label><button type=\"submit\">Filter</button></form>");
    }

    static void jobTable(Html html, View view, List<Job> jobs, String back) {
        if (jobs.isEmpty()) {
            html.raw("<p class=\"empty\">No jobs match.</p>");
            return;
        }
        html.raw("<div class=\"scroll\"><table class=\"jobs\"><thead><tr><th class=\"num\">Id</th><th>Queue</th>")
                .raw("<th>Task</th><th>Status</th><th class=\"num\">Attempts</th><th>Enqueued (UTC)</th>")
                .raw("<th class=\"num\">Ran</th><th>Worker</th><th>Error</th><th></th></tr></thead><tbody>");
        for (Job job : jobs) {
            html.raw("<tr><td class=\"num\">").link("job?id=" + job.id(), job.id()).raw("</td>")
                    .element("td", "", job.queue()).element("td", "class=\"task\"", job.task()).raw("<td>");
            badge(html, job.status());
            html.raw("</td>").element("td", "class=\"num\"", job.attempts() + "/" + job.maxAttempts())
                    .element("td", "class=\"time\"", Html.time(job.createdAt()))
                    .element("td", "class=\"num\"", Html.duration(job.duration()))
                    .element("td", "class=\"worker\"", job.workerProcess())
                    .element("td", "class=\"error\"", job.error() == null ? "" : shorten(job.error().summary()))
                    .raw("<td class=\"acts\">");
            actions(html, view, job, back);
            html.raw("</td></tr>");
        }
        html.raw("</tbody></table></div>");
    }

    private static String shorten(String text) {
        return text.length() <= 140 ? text : text.substring(0, 139) + "…";
    }

    static void badge(Html html, JobStatus status) {
        html.element("span", "class=\"badge " + status.dbName() + "\"", status.dbName());
    }

    private static void actions(Html html, View view, Job job, String back) {
        if (JobStatus.RETRYABLE.contains(job.status())) {
            view.button(html, "retry", "Retry", back, null, "id", Long.toString(job.id()));
        }
        if (JobStatus.CANCELLABLE.contains(job.status())) {
            view.button(html, "cancel", "Cancel", back, "Cancel job " + job.id() + "?", "id", Long.toString(job.id()));
        }
    }

    static String job(View view) {
        Long id = view.query().number("id");
        if (id == null) {
            throw new Query.BadRequest("Which job? Give ?id=<job id>");
        }
        Job job = view.queue().job(id).orElseThrow(() -> new Pages.NotFound("No job " + id + " is stored"));
        Html html = new Html().raw("<h1>Job ").text(job.id()).raw(" <span class=\"task\">").text(job.task())
                .raw("</span> ");
        badge(html, job.status());
        html.raw("</h1><div class=\"acts\">");
        actions(html, view, job, "job?id=" + job.id());
        html.raw("</div>");
        if (job.status() == JobStatus.RUNNING) {
            html.raw("<div class=\"progress\"><div class=\"bar\" style=\"width:")
                    .text(Math.round(job.progress() * 100)).raw("%\"></div></div><p>").text(Math.round(job.progress() * 100))
                    .raw("% ").text(job.message()).raw("</p>");
        }
        html.raw("<dl class=\"facts\">");
        fact(html, "Queue", job.queue());
        fact(html, "Attempts", job.attempts() + " of " + job.maxAttempts());
        fact(html, "Priority", job.priority());
        fact(html, "Enqueued", Html.time(job.createdAt()) + " UTC");
        fact(html, "Due", Html.time(job.runAt()) + " UTC");
        fact(html, "Started", Html.time(job.startedAt()));
        fact(html, "Finished", Html.time(job.finishedAt()));
        fact(html, "Ran for", Html.duration(job.duration()));
        fact(html, "Worker", job.worker());
        fact(html, "Timeout", job.timeout() == null ? "none" : Html.duration(job.timeout()));
        fact(html, "Idempotency key", job.idempotencyKey());
        fact(html, "Limit key", job.limitKey());
        if (job.runId() != null) {
            html.raw("<dt>DAG run</dt><dd>").link("run?id=" + job.runId(), "run " + job.runId() + ", task " + job.node())
                    .raw("</dd>");
        }
        html.raw("</dl>");
        html.raw(Timeline.svg(job, view.now()));
        html.raw("<h2>Argument</h2>").element("pre", "class=\"json\"", Json.pretty(job.argumentsJson()));
        if (job.resultJson() != null) {
            html.raw("<h2>Result</h2>").element("pre", "class=\"json\"", Json.pretty(job.resultJson()));
        }
        attempts(html, view.queue().attempts(job.id()));
        JobError error = job.error();
        if (error != null && job.status() != JobStatus.FAILED && job.status() != JobStatus.DEAD) {
            html.raw("<h2>Why it ").text(job.status().dbName()).raw("</h2>");
            error(html, error);
        }
        return html.toString();
    }

    /** Every attempt with its worker, times and error (the stack trace folded). */
    private static void attempts(Html html, List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        html.raw("<h2>Attempts</h2><ol class=\"attempts\">");
        for (Attempt attempt : attempts) {
            html.raw("<li><span class=\"attempt\">Attempt ").text(attempt.number()).raw("</span> ");
            badge(html, attempt.status());
            html.raw(" <span class=\"when\">").text(Html.time(attempt.startedAt()))
                    .raw(attempt.duration() == null ? "" : ", ran " + Html.escape(Html.duration(attempt.duration())))
                    .raw("</span> <span class=\"worker\">").text(attempt.worker()).raw("</span>");
            if (attempt.error() != null) {
                error(html, attempt.error());
            }
            html.raw("</li>");
        }
        html.raw("</ol>");
    }

    private static void error(Html html, JobError error) {
        html.raw("<p class=\"error\">").text(error.type()).raw(": ").text(error.message()).raw("</p>");
        if (error.stackTrace() != null && !error.stackTrace().isBlank()) {
            html.raw("<details><summary>Stack trace</summary>").element("pre", "class=\"trace\"", error.stackTrace())
                    .raw("</details>");
        }
    }

    private static void fact(Html html, String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            html.element("dt", "", name).element("dd", "", value);
        }
    }

    static String deadLetters(View view) {
        List<Job> dead = view.queue().deadLetters(PAGE_SIZE * 2);
        Html html = new Html().raw("<h1>Dead letters</h1><p>Jobs whose every attempt failed, newest first. Retry one"
                + " to run it again.</p>");
        Counts.Snapshot counts = view.counts().get();
        if (view.canAct() && counts != null) {
            html.raw("<div class=\"acts\">");
            for (QueueStats stats : counts.stats()) {
                if (stats.count(JobStatus.DEAD) > 0) {
                    view.button(html, "purge-dead", "Purge " + stats.count(JobStatus.DEAD) + " dead of " + stats.queue(),
                            "dead", "Delete every dead letter of queue " + stats.queue() + "?", "queue", stats.queue());
                }
            }
            html.raw("</div>");
        }
        jobTable(html, view, dead, "dead");
        return html.toString();
    }
}
