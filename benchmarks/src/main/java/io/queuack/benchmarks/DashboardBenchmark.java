package io.queuack.benchmarks;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.dashboard.Dashboard;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.schedule.Schedule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast the dashboard's pages load over a big store: {@code --jobs} jobs (1,000,000 by default) enqueued and
 * run on three queues (1% of them dead letters), DAG runs and schedules, then every page fetched over HTTP,
 * each {@code --repeat} times after a warm-up, on a DuckDB file and (with {@code --url}) on PostgreSQL; and the
 * first load of the overview right after the dashboard starts (it waits for the store-wide counts). Goal: every
 * page under 300 ms.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Dashboard page loads over a big store.")
final class DashboardBenchmark implements Callable<Integer> {

    private static final List<String> QUEUES = List.of("default", "mail", "images");

    @Option(names = "--jobs", description = "jobs in the store (default: ${DEFAULT-VALUE})")
    int jobs = 1_000_000;

    @Option(names = "--repeat", description = "timed loads of each page; median and slowest reported (default: ${DEFAULT-VALUE})")
    int repeat = 10;

    @Option(names = "--stores", split = ",", description = "stores to measure: duckdb-file, postgres (default: ${DEFAULT-VALUE})")
    List<String> stores = List.of("duckdb-file", "postgres");

    @Option(names = "--url", defaultValue = "${env:QUEUACK_TEST_POSTGRES}",
            description = "PostgreSQL JDBC URL with credentials (default: the environment variable QUEUACK_TEST_POSTGRES)")
    String url;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    @Override
    public Integer call() throws Exception {
        Report report = new Report("dashboard");
        for (String store : stores) {
            if (store.equals("postgres") && (url == null || url.isBlank())) {
                System.out.println("postgres: skipped (no --url and no QUEUACK_TEST_POSTGRES)");
                continue;
            }
            Path folder = Files.createTempDirectory("queuack-dashboard-bench");
            String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Queuack queue = store.equals("postgres") ? Queuack.open(url + "&currentSchema=" + schema)
                    : Queuack.open(folder.resolve("big.duckdb"))) {
                long started = System.nanoTime();
                Fill fill = fill(queue);
                System.out.printf("%s: %,d jobs stored and run in %.0f s%n", store, jobs,
                        (System.nanoTime() - started) / 1e9);
                measure(store, queue, fill, report);
            } finally {
                NoOpRun.delete(folder);
                if (store.equals("postgres")) {
                    try (Connection connection = DriverManager.getConnection(url);
                         Statement statement = connection.createStatement()) {
                        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    }
                }
            }
        }
        report.write(results);
        return 0;
    }

    /** Ids the pages are asked about. */
    private record Fill(long job, long deadJob, long run, long otherRun) {
    }

    private Fill fill(Queuack queue) throws Exception {
        queue.register("work", Integer.class, (context, n) -> {
            if (n % 100 == 0) {
                throw new IllegalStateException("job " + n + " fails, as 1% do");
            }
            return n;
        });
        int batch = 100_000;
        for (int from = 0; from < jobs; from += batch) {
            List<Integer> arguments = IntStream.range(from, Math.min(jobs, from + batch)).boxed().toList();
            queue.enqueueAll("work", arguments, JobOptions.defaults().maxAttempts(1)
                    .queue(QUEUES.get(from / batch % QUEUES.size())));
        }
        try (WorkerPool pool = queue.workers().concurrency(8).queue("default").queue("mail").queue("images").start()) {
            pool.awaitIdle(Duration.ofHours(2));
        }
        Dag nightly = Dag.builder("nightly").task("extract", () -> 1).task("clean", () -> 2).after("extract")
                .task("load", () -> 3).after("clean").task("report", () -> 4).after("load").build();
        long run = 0;
        long other = 0;
        for (int i = 0; i < 20; i++) {
            other = run;
            run = queue.run(nightly).id();
        }
        for (int i = 0; i < 3; i++) {
            queue.schedules().save(Schedule.task("hourly-" + i, "work").argument(1).every(Duration.ofHours(1 + i)));
        }
        long job = queue.jobs(JobQuery.all().status(JobStatus.SUCCEEDED).newestFirst().limit(1)).get(0).id();
        long dead = queue.deadLetters(1).get(0).id();
        return new Fill(job, dead, run, other);
    }

    private void measure(String store, Queuack queue, Fill fill, Report report) throws Exception {
        String hourAgo = LocalDateTime.ofInstant(Instant.now().minus(1, ChronoUnit.HOURS), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES).toString();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("queues", "");
        pages.put("jobs", "jobs");
        pages.put("jobs, dead of one queue", "jobs?queue=mail&status=dead");
        pages.put("jobs, one task, enqueued in the last hour", "jobs?task=work&from=" + hourAgo);
        pages.put("jobs, 100th page", "jobs?before=" + (fill.job() - 5_000));
        pages.put("job", "job?id=" + fill.job());
        pages.put("dead job", "job?id=" + fill.deadJob());
        pages.put("dead letters", "dead");
        pages.put("DAG runs", "runs");
        pages.put("DAG run", "run?id=" + fill.run());
        pages.put("compare runs", "compare?a=" + fill.otherRun() + "&b=" + fill.run());
        pages.put("schedules", "schedules");
        pages.put("workers", "workers");
        HttpClient client = HttpClient.newHttpClient();
        double slowest = 0;
        try (Dashboard dashboard = Dashboard.start(queue)) {
            // the counts of the first page are read when the dashboard starts; later loads get them as last read
            report.add(Figure.of(store + " queues, first load after start", load(client, URI.create(dashboard.url())),
                    "ms"));
            for (Map.Entry<String, String> page : pages.entrySet()) {
                URI uri = URI.create(dashboard.url() + page.getValue());
                for (int i = 0; i < 3; i++) {
                    load(client, uri);
                }
                double[] millis = new double[repeat];
                for (int i = 0; i < repeat; i++) {
                    millis[i] = load(client, uri);
                }
                double max = java.util.Arrays.stream(millis).max().orElseThrow();
                slowest = Math.max(slowest, max);
                report.add(Figure.of(store + " " + page.getKey() + " (median of " + repeat + ", slowest "
                        + Math.round(max) + " ms)", Figure.median(millis), "ms"));
            }
        }
        report.add(Figure.of(store + " slowest page load", slowest, "ms"));
    }

    /** @return milliseconds to fetch the page whole; fails on an answer other than 200 */
    private static double load(HttpClient client, URI uri) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - start) / 1e6;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return millis;
    }
}
