package io.queuack.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over HTTP against a DuckDB file with real jobs: pages, escaping, the token, the host check, events. */
class DashboardTest {

    static final String HOSTILE = "<script>alert('owned')</script><img src=x onerror=alert(1)>";

    @TempDir
    Path folder;

    private Queuack queue;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private long hostileJob;
    private long deadJob;
    private DagRun run;

    @BeforeEach
    void fill() {
        queue = Queuack.open(folder.resolve("dash.duckdb"));
        queue.register("echo", Map.class, (context, argument) -> argument);
        queue.register("broken", String.class, (context, argument) -> {
            throw new IllegalStateException("broken by " + argument);
        });
        hostileJob = queue.enqueue("echo", Map.of("html", HOSTILE), JobOptions.defaults().queue("web"));
        deadJob = queue.enqueue("broken", HOSTILE, JobOptions.defaults().maxAttempts(1));
        try (WorkerPool pool = queue.workers().concurrency(2).queue("web").queue("default").start()) {
            assertEquals(JobStatus.DEAD, queue.await(deadJob, Duration.ofSeconds(30)).status());
            assertEquals(JobStatus.SUCCEEDED, queue.await(hostileJob, Duration.ofSeconds(30)).status());
        }
        run = queue.run(Dag.builder("etl").task("extract", () -> 1).task("load", () -> 2).after("extract").build());
    }

    @AfterEach
    void close() {
        queue.close();
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyPageAnswersAndShowsStoredTextAsText() throws Exception {
        try (Dashboard dashboard = Dashboard.start(queue)) {
            String base = dashboard.url();
            assertTrue(base.matches("http://127\\.0\\.0\\.1:\\d+/"), base);
            for (String page : List.of("", "jobs", "jobs?queue=web&status=succeeded", "job?id=" + hostileJob,
                    "job?id=" + deadJob, "dead", "runs", "runs?dag=etl", "run?id=" + run.id(),
                    "compare?a=" + run.id() + "&b=" + run.id(), "schedules", "workers")) {
                HttpResponse<String> answer = get(base + page);
                assertEquals(200, answer.statusCode(), page + ": " + answer.body());
                assertFalse(answer.body().contains("<script>alert"), page + " lets stored HTML through");
                assertFalse(answer.body().contains("<img src=x"), page + " lets stored HTML through");
                assertTrue(answer.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            }
            String job = get(base + "job?id=" + hostileJob).body();
            assertTrue(job.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"), job);
            String dead = get(base + "job?id=" + deadJob).body();
            assertTrue(dead.contains("broken by &lt;script&gt;"), "the error is shown, escaped");
            assertTrue(dead.contains("Stack trace"), dead);
            assertTrue(dead.contains("Attempt 1"), "its attempts are listed: " + dead);
            assertEquals(404, get(base + "job?id=999999").statusCode());
            assertEquals(400, get(base + "job?id=abc").statusCode());
            assertEquals(400, get(base + "jobs?status=nonsense").statusCode());
            assertEquals(404, get(base + "nothing").statusCode());
            assertFalse(get(base + "dead").body().contains("<form method=\"post\""), "read-only: no action buttons");
            assertEquals(403, post(base + "action", "action=retry&id=" + deadJob).statusCode());
            assertEquals(JobStatus.DEAD, queue.job(deadJob).orElseThrow().status());
            assertEquals(200, get(base + "static/dashboard.js").statusCode());
            String fragment = get(base + "jobs", "X-Queuack-Fragment", "main").body();
            assertFalse(fragment.contains("<html"), "a fragment is the main part only");
        }
    }

    @Test
    void actionsNeedTheTokenAndRetryADeadLetter() throws Exception {
        try (Dashboard dashboard = Dashboard.builder(queue).allowActions().start()) {
            String url = dashboard.url();
            String base = url.substring(0, url.indexOf('?'));
            String token = url.substring(url.indexOf("key=") + 4);
            assertEquals(403, get(base + "?key=wrong").statusCode());
            HttpResponse<String> opened = get(url);
            assertEquals(303, opened.statusCode());
            String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            assertFalse(get(base + "dead").body().contains("name=\"token\""), "no token in pages without the cookie");
            String page = get(base + "dead", "Cookie", cookie.split(";")[0]).body();
            assertTrue(page.contains("value=\"retry\""), page);
            assertEquals(403, post(base + "action", "action=retry&id=" + deadJob, "Cookie", cookie.split(";")[0])
                    .statusCode(), "the cookie alone does not act: the form must carry the token");
            HttpResponse<String> retried = post(base + "action", "token=" + token + "&action=retry&back=dead&id=" + deadJob);
            assertEquals(303, retried.statusCode(), retried.body());
            assertEquals("dead", retried.headers().firstValue("Location").orElseThrow());
            assertEquals(JobStatus.PENDING, queue.job(deadJob).orElseThrow().status());
            HttpResponse<String> elsewhere = post(base + "action", "token=" + token + "&action=cancel&back="
                    + "https://evil.example/&id=" + deadJob);
            assertEquals("./", elsewhere.headers().firstValue("Location").orElseThrow(), "never sent elsewhere");
            assertEquals(JobStatus.CANCELLED, queue.job(deadJob).orElseThrow().status());
            assertEquals(400, post(base + "action", "token=" + token + "&action=explode&id=1").statusCode());
        }
    }

    @Test
    void requestsForOtherHostNamesAreRefused() throws Exception {
        try (Dashboard dashboard = Dashboard.start(queue)) {
            String status = rawStatus(dashboard, "GET / HTTP/1.1\r\nHost: attacker.example:" + dashboard.port()
                    + "\r\nConnection: close\r\n\r\n");
            assertTrue(status.startsWith("HTTP/1.1 421"), status + ": a DNS-rebinding page must not read it");
            assertEquals(200, get("http://localhost:" + dashboard.port() + "/").statusCode());
        }
        try (Dashboard dashboard = Dashboard.builder(queue).jupyterProxy("/user/ada/").start()) {
            String request = "GET / HTTP/1.1\r\nHost: hub.example.org\r\nX-Forwarded-Context: %s\r\n"
                    + "Connection: close\r\n\r\n";
            assertTrue(rawStatus(dashboard, request.formatted("/user/ada/proxy/" + dashboard.port())).startsWith(
                    "HTTP/1.1 200"), "Jupyter's server proxy keeps the browser's host name");
            assertTrue(rawStatus(dashboard, request.formatted("/user/eve/proxy/1")).startsWith("HTTP/1.1 421"));
        }
    }

    private static String rawStatus(Dashboard dashboard, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", dashboard.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void liveStreamSaysWhenTheStoreChanges() throws Exception {
        try (Dashboard dashboard = Dashboard.start(queue)) {
            HttpURLConnection events = (HttpURLConnection) URI.create(dashboard.url() + "events").toURL().openConnection();
            events.setReadTimeout(30_000);
            assertEquals("text/event-stream; charset=utf-8", events.getContentType());
            BufferedReader lines = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("retry: 2000", lines.readLine());
            queue.enqueue("echo", Map.of("n", 1));
            String line = lines.readLine();
            while (line.isEmpty() || line.startsWith(":")) {
                line = lines.readLine();
            }
            assertTrue(line.startsWith("data: "), line);
            events.disconnect();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(queue).port(70_000));
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(queue).host("no such host.invalid"));
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(queue).allowHostName("a b"));
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(queue).jupyterProxy("user/ada"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
                    () -> Dashboard.builder(queue).port(taken.getLocalPort()).start());
            assertTrue(refused.getMessage().startsWith("Could not listen on 127.0.0.1:" + taken.getLocalPort()),
                    refused.getMessage());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
