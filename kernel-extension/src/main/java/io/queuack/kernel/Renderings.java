package io.queuack.kernel;

import io.queuack.BackfillRun;
import io.queuack.DagRun;
import io.queuack.arrow.Column;
import io.queuack.arrow.Dataset;
import io.queuack.dag.Dag;
import io.queuack.draw.Drawable;
import io.queuack.draw.Grid;
import io.queuack.draw.Picture;
import io.queuack.draw.Theme;
import io.queuack.error.QueuackException;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import io.queuack.job.WorkerInfo;
import io.queuack.schedule.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * How Queuack's values look in a notebook, for any kernel: DAGs and runs as SVG, Mermaid and a text tree;
 * datasets as their schema with a preview; Tablesaw tables as a bounded preview with their row count; jobs
 * and queue stats as tables. Kernel adapters register these for {@link #TYPES}.
 */
public final class Renderings {

    /** The types these renderings cover (subtypes included). */
    public static final List<Class<?>> TYPES = List.of(Drawable.class, Dataset.class, Table.class, Job.class,
            QueueStats.class, JobTable.class, StatsTable.class, WorkerTable.class, ScheduleTable.class, LimitTable.class,
            ScheduleInfo.class);

    /** Slots a backfill's grid draws at most (a year of days); larger ones show a summary. */
    public static final int MAX_GRID_SLOTS = 366;

    /** Rows a table preview shows at most. */
    public static final int PREVIEW_ROWS = 10;

    /**
     * Tasks a DAG or run picture draws at most; larger ones show a summary (counts per state, a progress bar):
     * a picture of thousands of boxes is unreadable, and laying it out takes seconds.
     */
    public static final int MAX_DRAWN_TASKS = 1_000;

    private Renderings() {
    }

    /**
     * @return how {@code value} looks, or empty if it is not one of {@link #TYPES}; a value whose queue refuses to
     *         answer (closed, say) shows that refusal as a short text instead of failing the cell with a stack trace
     */
    public static Optional<MimeBundle> render(Object value) {
        try {
            return renderOrThrow(value);
        } catch (QueuackException e) {
            String what = value instanceof DagRun run ? "DAG run #" + run.id() + ": " : "";
            return Optional.of(MimeBundle.text(what + e.getMessage()).with(MimeBundle.HTML, "<p>" + Html.escape(what
                    + e.getMessage()) + "</p>"));
        }
    }

    private static Optional<MimeBundle> renderOrThrow(Object value) {
        if (value instanceof DagRun run && run.taskCount() > MAX_DRAWN_TASKS) {
            return Optional.of(summary(run, run.dagName() + " · run", "tasks", MAX_DRAWN_TASKS));
        }
        if (value instanceof Dag dag && dag.tasks().size() > MAX_DRAWN_TASKS) {
            String text = String.format("DAG %s: %,d tasks, too many to draw (over %d)", dag.name(), dag.tasks().size(),
                    MAX_DRAWN_TASKS);
            return Optional.of(MimeBundle.text(text).with(MimeBundle.HTML, "<p>" + Html.escape(text) + "</p>"));
        }
        if (value instanceof BackfillRun backfill && backfill.parent().taskCount() > MAX_GRID_SLOTS) {
            return Optional.of(summary(backfill.parent(), backfill.dagName() + " · backfill", "slots", MAX_GRID_SLOTS));
        }
        if (value instanceof BackfillRun backfill) {
            Grid grid = backfill.grid();
            return Optional.of(MimeBundle.text(grid.toText()).with(MimeBundle.SVG, grid.toSvg(Theme.DEFAULT)));
        }
        if (value instanceof Drawable drawable) {
            Picture picture = drawable.picture();
            String svg = picture.toSvg(Theme.DEFAULT);
            MimeBundle bundle = MimeBundle.text(picture.toText()).with(MimeBundle.MERMAID, picture.toMermaid(Theme.DEFAULT))
                    .with(MimeBundle.SVG, svg);
            return Optional.of(value instanceof DagRun run ? bundle.with(MimeBundle.HTML, Timeline.html(run, svg)) : bundle);
        }
        if (value instanceof Dataset dataset) {
            return Optional.of(dataset(dataset));
        }
        if (value instanceof Table table) {
            return Optional.of(table(table));
        }
        if (value instanceof Job job) {
            return Optional.of(MimeBundle.text(job.summary()));
        }
        if (value instanceof QueueStats stats) {
            return Optional.of(MimeBundle.text(stats.summary()));
        }
        if (value instanceof JobTable table) {
            return Optional.of(jobs(table));
        }
        if (value instanceof StatsTable table) {
            return Optional.of(stats(table));
        }
        if (value instanceof WorkerTable table) {
            return Optional.of(workers(table));
        }
        if (value instanceof ScheduleTable table) {
            return Optional.of(table.render());
        }
        if (value instanceof ScheduleInfo info) {
            return Optional.of(new ScheduleTable(List.of(info), Instant.now()).render());
        }
        if (value instanceof LimitTable table) {
            return Optional.of(table.render());
        }
        return Optional.empty();
    }

    /**
     * A run (or backfill) too large to draw: its state and a progress bar, from the run's counters (no task is
     * loaded).
     */
    private static MimeBundle summary(DagRun run, String what, String items, int most) {
        long finished = Math.round(run.progress() * run.taskCount());
        long percent = Math.round(run.progress() * 100);
        String text = String.format("%s %d · %s · %,d of %,d %s finished (%d%%); too many to draw (over %d)", what,
                run.id(), run.status(), finished, run.taskCount(), items, percent, most);
        String html = "<div class=\"queuack-run\"><p>" + Html.escape(text) + "</p><div style=\"width:400px;height:14px;"
                + "border:1px solid #888\"><div style=\"width:" + percent + "%;height:100%;background:#4caf50\"></div></div>"
                + "</div>";
        return MimeBundle.text(text).with(MimeBundle.HTML, html);
    }

    private static MimeBundle jobs(JobTable table) {
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder(table.title() + " (" + table.jobs().size() + ")");
        for (Job job : table.jobs()) {
            rows.add(List.of(job.id(), job.queue(), job.task(), job.status(), job.attempts() + "/" + job.maxAttempts(),
                    job.createdAt(), job.error() == null ? "" : job.error().type() + ": " + job.error().message()));
            text.append('\n').append(job.summary());
        }
        String html = "<div class=\"queuack-jobs\"><p><b>" + Html.escape(table.title()) + "</b> ("
                + table.jobs().size() + ")</p>" + Html.table(List.of("id", "queue", "task", "status", "attempts",
                "created", "error"), rows) + "</div>";
        return MimeBundle.text(text.toString()).with(MimeBundle.HTML, html);
    }

    private static MimeBundle stats(StatsTable table) {
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder(table.source());
        for (QueueStats queue : table.queues()) {
            rows.add(List.of(queue.queue() + (queue.paused() ? " (paused)" : ""), queue.waiting(),
                    queue.count(JobStatus.RUNNING), queue.count(JobStatus.SUCCEEDED),
                    queue.count(JobStatus.FAILED), queue.count(JobStatus.DEAD), queue.total()));
            text.append('\n').append(queue.summary());
        }
        String html = "<div class=\"queuack-stats\"><p>" + Html.escape(table.source()) + "</p>" + Html.table(
                List.of("queue", "waiting", "running", "succeeded", "failed", "dead", "total"), rows) + "</div>";
        return MimeBundle.text(text.toString()).with(MimeBundle.HTML, html);
    }

    private static MimeBundle workers(WorkerTable table) {
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder("Worker pools of " + table.source() + " (" + table.pools().size() + ")");
        for (WorkerInfo pool : table.pools()) {
            long silentFor = Duration.between(pool.heartbeatAt(), table.at()).toSeconds();
            String state = pool.state(table.at()).name();
            rows.add(List.of(pool.host(), pool.pid(), pool.queues(), pool.concurrency(), pool.heldJobs(), state,
                    pool.startedAt(), silentFor + " s ago", pool.id()));
            text.append('\n').append(String.format("%s pid %d · %s · %d threads · %d held · %s · heartbeat %d s ago",
                    pool.host(), pool.pid(), pool.queues(), pool.concurrency(), pool.heldJobs(), state, silentFor));
        }
        String html = "<div class=\"queuack-workers\"><p>Worker pools of " + Html.escape(table.source()) + "</p>"
                + Html.table(List.of("host", "pid", "queues", "threads", "held jobs", "state", "started", "heartbeat",
                "pool"), rows) + "</div>";
        return MimeBundle.text(text.toString()).with(MimeBundle.HTML, html);
    }

    private static MimeBundle dataset(Dataset dataset) {
        List<List<Object>> columns = new ArrayList<>();
        for (Column column : dataset.schema().columns()) {
            columns.add(List.of(column.name(), column.type() + (column.precision() > 0
                    ? "(" + column.precision() + "," + column.scale() + ")" : ""), column.nullable() ? "yes" : "no"));
        }
        String summary = String.format("%,d rows in %,d batches, %,d bytes (%s format)", dataset.rows(),
                dataset.batches(), dataset.bytes(), dataset.format().name().toLowerCase());
        StringBuilder html = new StringBuilder("<div class=\"queuack-dataset\"><p><b>Dataset</b> <code>")
                .append(Html.escape(dataset.path())).append("</code>: ").append(Html.escape(summary)).append("</p>")
                .append(Html.table(List.of("column", "type", "nullable"), columns));
        if (dataset.rows() > 0) {
            html.append("<p>First rows:</p>").append(tableHtml(dataset.read().limit(PREVIEW_ROWS).toTable()));
        }
        return MimeBundle.text(dataset.toString()).with(MimeBundle.HTML, html.append("</div>").toString());
    }

    private static MimeBundle table(Table table) {
        String summary = String.format("%s: %,d rows × %d columns", table.name(), table.rowCount(), table.columnCount());
        String html = "<div class=\"queuack-table\"><p>" + Html.escape(summary) + (table.rowCount() > PREVIEW_ROWS
                ? " (first " + PREVIEW_ROWS + " shown)" : "") + "</p>" + tableHtml(table) + "</div>";
        return MimeBundle.text(summary + "\n" + table.first(PREVIEW_ROWS).print()).with(MimeBundle.HTML, html);
    }

    private static String tableHtml(Table table) {
        List<List<Object>> rows = new ArrayList<>();
        int shown = Math.min(PREVIEW_ROWS, table.rowCount());
        for (int i = 0; i < shown; i++) {
            Row row = new Row(table, i);
            List<Object> cells = new ArrayList<>();
            for (String name : table.columnNames()) {
                cells.add(row.isMissing(name) ? "" : row.getObject(name));
            }
            rows.add(cells);
        }
        return Html.table(table.columnNames(), rows);
    }
}
