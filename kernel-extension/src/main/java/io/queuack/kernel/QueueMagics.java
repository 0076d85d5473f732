package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.dashboard.Dashboard;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.LimitHold;
import io.queuack.text.DidYouMean;
import io.queuack.worker.LocalWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code %queue} line magic, kernel-agnostic: operates the session's queue ({@link Session}).
 */
public final class QueueMagics {

    static final String USAGE = """
            %queue [stats]                               jobs per queue and status
            %queue open <file.duckdb | jdbc:postgresql://host/db?user=..>  make a DuckDB file or a PostgreSQL
                                                         database the session's queue
            %queue jobs [--status S,..] [--queue Q] [--limit N]   latest jobs
            %queue dead [--limit N]                      dead letters, with their errors
            %queue retry <job id>                        run a failed, dead or cancelled job again
            %queue why <job id>                          the limits that hold a waiting job back now
            %queue limits                                the store's limits (queue.limits().set(...)) and their counts
            %queue purge --older-than <30m|2h|7d> [--status S,..]  delete finished jobs (SUCCEEDED by default)
            %queue workers                               the worker pools using the store, on every host
            %queue workers <N>                           run the queue's jobs with N worker threads (0 stops)
            %queue processes <N> [--threads T]           start N worker processes on this machine with the task
                                                         sets of %%tasks (a PostgreSQL queue; 0 stops them)
            %queue dashboard [--port N] [--actions] [--stop]  serve the queue's web dashboard and link to it
                                                         (read-only unless --actions; on loopback)""";

    private static final List<String> COMMANDS = List.of("stats", "open", "jobs", "dead", "retry", "why", "limits",
            "purge", "workers", "processes", "dashboard");

    private QueueMagics() {
    }

    /** Runs {@code %queue <args>}; returns what it showed. */
    public static Object line(List<String> args, Notebook notebook) {
        if (args.contains("--help")) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        String command = args.isEmpty() ? "stats" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        Object shown = switch (command) {
            case "stats" -> stats(Session.queue());
            case "open" -> {
                if (rest.size() != 1) {
                    throw new MagicException("%queue open takes one DuckDB file or PostgreSQL URL, e.g. `%queue open"
                            + " jobs.duckdb` or `%queue open jdbc:postgresql://localhost/queues?user=me`");
                }
                yield stats(Session.open(rest.get(0)));
            }
            case "jobs" -> {
                Flags flags = Flags.parse(rest, "%queue jobs", List.of(), List.of("--status", "--queue", "--limit"));
                JobQuery query = JobQuery.all().newestFirst().limit(flags.number("--limit", 20));
                if (flags.has("--status")) {
                    query = query.status(statuses(flags.text("--status")));
                }
                if (flags.has("--queue")) {
                    query = query.queue(flags.text("--queue"));
                }
                yield new JobTable("Jobs", Session.queue().jobs(query));
            }
            case "dead" -> {
                Flags flags = Flags.parse(rest, "%queue dead", List.of(), List.of("--limit"));
                yield new JobTable("Dead letters", Session.queue().deadLetters(flags.number("--limit", 20)));
            }
            case "retry" -> {
                long id = jobId(rest, "retry");
                Session.queue().retry(id);
                yield MimeBundle.text("Job #" + id + " will run again");
            }
            case "why" -> {
                long id = jobId(rest, "why");
                List<LimitHold> holds = Session.queue().limits().why(id);
                yield MimeBundle.text(holds.isEmpty() ? "No limit holds job #" + id + " back now"
                        : "Job #" + id + " waits for " + String.join("; ", holds.stream().map(LimitHold::describe)
                        .toList()));
            }
            case "limits" -> new LimitTable(Session.queue().limits().states());
            case "purge" -> purge(rest);
            case "workers" -> {
                if (rest.isEmpty()) {
                    Queuack queue = Session.queue();
                    yield new WorkerTable(queue.description(), queue.workerPools(), Instant.now());
                }
                if (rest.size() != 1 || !rest.get(0).matches("\\d{1,3}")) {
                    throw new MagicException("%queue workers takes a thread count, e.g. `%queue workers 4` (0 stops them)");
                }
                yield MimeBundle.text(Session.workers(Integer.parseInt(rest.get(0))));
            }
            case "processes" -> {
                if (rest.isEmpty() || !rest.get(0).matches("\\d{1,2}")) {
                    throw new MagicException("%queue processes takes how many worker processes to start, e.g."
                            + " `%queue processes 3` (0 stops them; at most " + LocalWorkers.MAX_PROCESSES + ")");
                }
                int count = Integer.parseInt(rest.get(0));
                if (count > LocalWorkers.MAX_PROCESSES) {
                    throw new MagicException("%queue processes starts at most " + LocalWorkers.MAX_PROCESSES
                            + " processes, got " + count);
                }
                Flags flags = Flags.parse(rest.subList(1, rest.size()), "%queue processes", List.of(), List.of("--threads"));
                yield MimeBundle.text(Session.processes(count, flags.has("--threads") ? flags.number("--threads", 0)
                        : null));
            }
            case "dashboard" -> dashboard(rest);
            default -> throw new MagicException("%queue: unknown command '" + command + "'"
                    + DidYouMean.hint(command, COMMANDS) + "; commands: " + String.join(", ", COMMANDS)
                    + " (`%queue --help` explains)");
        };
        notebook.display(shown instanceof MimeBundle bundle ? bundle : Renderings.render(shown).orElseThrow());
        return shown;
    }

    private static StatsTable stats(Queuack queue) {
        return new StatsTable(queue.description(), queue.stats());
    }

    private static MimeBundle dashboard(List<String> rest) {
        Flags flags = Flags.parse(rest, "%queue dashboard", List.of("--actions", "--stop"), List.of("--port"));
        if (flags.has("--stop")) {
            return MimeBundle.text(Session.stopDashboard() ? "Dashboard stopped" : "No dashboard was running");
        }
        Integer port = null;
        if (flags.has("--port")) {
            String text = flags.text("--port");
            if (!text.matches("\\d{1,5}") || Integer.parseInt(text) > 65_535) {
                throw new MagicException("%queue dashboard --port takes 0 to 65535 (0: a free port), got '" + text + "'");
            }
            port = Integer.parseInt(text);
        }
        Dashboard dashboard;
        try {
            dashboard = Session.dashboard(port, flags.has("--actions"));
        } catch (java.io.UncheckedIOException e) {
            throw new MagicException("%queue dashboard: " + e.getMessage() + "; try another --port, or none for a"
                    + " free one");
        }
        String link = Session.link(dashboard);
        String said = dashboard.allowsActions() ? "with actions (the link carries their key; keep it to yourself)"
                : "read-only (--actions lets you retry, cancel and purge)";
        return MimeBundle.text("Queuack dashboard of " + Session.queue().description() + ", " + said + ": " + link)
                .with(MimeBundle.HTML, "<p><a href=\"" + Html.escape(link) + "\" target=\"_blank\" rel=\"noopener\">"
                        + "Open the Queuack dashboard</a> of " + Html.escape(Session.queue().description()) + ", "
                        + Html.escape(said) + "</p>");
    }

    private static MimeBundle purge(List<String> rest) {
        Flags flags = Flags.parse(rest, "%queue purge", List.of(), List.of("--older-than", "--status"));
        if (!flags.has("--older-than")) {
            throw new MagicException("%queue purge needs --older-than, e.g. `%queue purge --older-than 7d`");
        }
        Duration age = flags.duration("--older-than");
        Set<JobStatus> statuses = flags.has("--status") ? statuses(flags.text("--status")) : EnumSet.of(JobStatus.SUCCEEDED);
        List<JobStatus> list = new ArrayList<>(statuses);
        int purged = Session.queue().purge(age, list.get(0), list.subList(1, list.size()).toArray(JobStatus[]::new));
        return MimeBundle.text("Purged " + purged + " jobs " + statuses + " older than " + flags.text("--older-than"));
    }

    private static Set<JobStatus> statuses(String text) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        List<String> names = Arrays.stream(JobStatus.values()).map(Enum::name).toList();
        for (String part : text.split(",")) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            if (!names.contains(name)) {
                throw new MagicException("Unknown job status '" + part + "'" + DidYouMean.hint(name, names)
                        + "; statuses are " + String.join(", ", names));
            }
            statuses.add(JobStatus.valueOf(name));
        }
        return statuses;
    }

    private static long jobId(List<String> rest, String command) {
        if (rest.size() != 1 || !rest.get(0).matches("\\d{1,18}")) {
            throw new MagicException("%queue " + command + " takes one job id, e.g. `%queue " + command + " 42`");
        }
        return Long.parseLong(rest.get(0));
    }
}
