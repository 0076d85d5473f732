package io.queuack.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.job.JobStatus;
import io.queuack.storage.postgres.FreshSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The worker command in a process of its own: configuration line, jobs run, SIGTERM finishes what runs. */
class WorkerCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("worker.log").toFile()).start();
        started.add(process);
        return process;
    }

    @Test
    void runsTheTaskSetsJobsAndFinishesTheRunningOneOnSigterm() throws Exception {
        Process worker = start("--store", schema.url(), "--queue", "default:2", "--queue", "other", "--concurrency", "3",
                "--shutdown-grace", "20s", "--lease", "5s");
        BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        String config = out.readLine();
        assertTrue(config.startsWith("queuack-worker ") && config.contains("queues {default=2, other=1}")
                && config.contains("concurrency 3") && config.contains("tasks [nap]")
                && config.contains("task sets [io.queuack.worker.SampleTasks]"), config);
        assertFalse(config.contains("password"), "no credentials in the log line: " + config);
        try (Queuack queue = Queuack.open(schema.url())) {
            long quick = queue.enqueue("nap", 1);
            assertEquals(JobStatus.SUCCEEDED, queue.await(quick, Duration.ofSeconds(20)).status());
            long slow = queue.enqueue("nap", 3_000);
            while (queue.job(slow).orElseThrow().status() != JobStatus.RUNNING) {
                Thread.sleep(10);
            }
            worker.destroy();   // SIGTERM
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "the worker stopped");
            assertEquals(JobStatus.SUCCEEDED, queue.job(slow).orElseThrow().status(),
                    "the running job finished within the grace instead of being given back");
        }
        String log = Files.readString(dir.resolve("worker.log"));
        assertFalse(log.contains("Starting..."), "no connection pool chatter: " + log);
    }

    @Test
    void copiesAQueueFileIntoPostgres() throws Exception {
        Path file = dir.resolve("prototype.duckdb");
        try (Queuack prototype = Queuack.open(file)) {
            prototype.register("nap", Integer.class, (ctx, millis) -> millis);
            prototype.enqueueAll("nap", List.of(1, 2, 3));
        }
        CommandLine command = new CommandLine(new WorkerCommand());
        StringWriter out = new StringWriter();
        command.setOut(new PrintWriter(out));
        assertEquals(0, command.execute("copy", "--from", file.toString(), "--to", schema.url()));
        assertTrue(out.toString().startsWith("Copied 3 jobs, 0 DAG runs"), out.toString());
        StringWriter errors = new StringWriter();
        command.setErr(new PrintWriter(errors));
        assertEquals(2, command.execute("copy", "--from", file.toString(), "--to", schema.url()));
        assertTrue(errors.toString().contains("already holds 3 jobs"), errors.toString());
        try (Queuack shared = Queuack.open(schema.url())) {
            assertEquals(3, shared.stats().get(0).count(JobStatus.PENDING));
        }
    }

    @Test
    void refusesToStartWithoutTasksOrWithBadOptions() throws Exception {
        Process none = start("--store", dir.resolve("q.duckdb").toString(), "--class-path", dir.toString(),
                "--tasks", "java.lang.String");
        assertTrue(none.waitFor(30, TimeUnit.SECONDS));
        String said = Files.readString(dir.resolve("worker.log"));
        assertTrue(said.contains("java.lang.String does not implement io.queuack.TaskSet"), said);
        assertEquals(2, none.exitValue(), said);

        CommandLine command = new CommandLine(new WorkerCommand());
        StringWriter errors = new StringWriter();
        command.setErr(new PrintWriter(errors));
        assertEquals(2, command.execute("--store", schema.url(), "--lease", "soon"));
        assertTrue(errors.toString().contains("--lease takes a duration such as 500ms, 30s, 5m or 1h; got 'soon'"),
                errors.toString());
        assertEquals(2, command.execute("--store", schema.url(), "--queue", "a b"));
        assertEquals(2, command.execute("--store", schema.url(), "--metrics", "70000"));
        assertTrue(errors.toString().contains("--metrics takes a port (0 to 65535, served on 127.0.0.1) or host:port,"
                + " e.g. 9464 or 0.0.0.0:9464; got '70000'"), errors.toString());
        assertEquals(2, command.execute("--store", schema.url(), "--dashboard-actions"));
        assertTrue(errors.toString().contains("--dashboard-actions needs --dashboard <[host:]port>"), errors.toString());
    }

    @Test
    void servesPrometheusMetricsAndTheDashboardOnLoopback() throws Exception {
        Process worker = start("--store", schema.url(), "--metrics", "0", "--dashboard", "0", "--concurrency", "2");
        BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        out.readLine();
        String announced = out.readLine();
        String dashboard = out.readLine();
        assertTrue(dashboard.matches("queuack-worker: dashboard at http://127\\.0\\.0\\.1:\\d+/"), dashboard);
        assertTrue(announced.matches("queuack-worker: metrics at http://127\\.0\\.0\\.1:\\d+/metrics"), announced);
        URI scrape = URI.create(announced.substring(announced.indexOf("http")));
        try (Queuack queue = Queuack.open(schema.url())) {
            for (long id : queue.enqueueAll("nap", List.of(1, 1, 1, 1, 1))) {
                assertEquals(JobStatus.SUCCEEDED, queue.await(id, Duration.ofSeconds(30)).status());
            }
        }
        HttpClient client = HttpClient.newHttpClient();
        String expected = "queuack_jobs_finished_total{queue=\"default\",status=\"succeeded\",task=\"nap\"} 5.0";
        HttpResponse<String> response = null;
        for (int i = 0; i < 100 && (response == null || !response.body().contains(expected)); i++) {
            response = client.send(HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofString());
            if (!response.body().contains(expected)) {
                Thread.sleep(100);   // the worker's event thread counts the last outcome a moment after it is stored
            }
        }
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(response.body().contains(expected), response.body());
        assertTrue(response.body().contains("queuack_job_run_seconds_bucket{queue=\"default\",task=\"nap\",le="));
        assertTrue(response.body().contains("jvm_memory_used_bytes"), "the JVM's meters too");
        assertEquals(404, client.send(HttpRequest.newBuilder(scrape.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> jobs = client.send(HttpRequest.newBuilder(URI.create(dashboard.substring(
                dashboard.indexOf("http")) + "jobs?task=nap")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, jobs.statusCode());
        assertTrue(jobs.body().contains("succeeded") && jobs.body().contains(">nap<"), jobs.body());
    }
}
