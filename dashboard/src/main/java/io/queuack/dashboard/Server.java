package io.queuack.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.queuack.Queuack;
import io.queuack.error.JobNotFoundException;
import io.queuack.event.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side: checks each request (host, token, method), routes it to a page, an action, the event stream or a
 * static file, and writes the answer with headers that forbid inline scripts, framing by others and caching.
 */
final class Server implements AutoCloseable {

    /** The query parameter that carries the action token (not {@code token}, which Jupyter's proxy reads itself). */
    static final String KEY = "key";
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    private static final int MAX_STREAMS = 16;
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'self';"
            + " base-uri 'none'";

    static {
        // The JDK's server writes a response's headers and body apart; with Nagle's algorithm on, the body then
        // waits for the client's delayed acknowledgement (40 ms on Linux). Read once, by the first server made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Queuack queue;
    private final String token;
    private final Set<String> hostNames = new HashSet<>();
    private final HttpServer http;
    private final ExecutorService threads;
    private final Live live = new Live();
    private final Subscription subscription;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final Pages pages;
    private final Counts counts;
    private volatile boolean closed;

    private final String proxyPrefix;

    Server(Queuack queue, InetSocketAddress address, String token, Set<String> extraHostNames, String proxyPrefix)
            throws IOException {
        this.http = HttpServer.create(address, 64);   // first: a port in use leaves nothing behind
        this.queue = queue;
        this.token = token;
        this.proxyPrefix = proxyPrefix;
        this.pages = new Pages();
        this.counts = new Counts(queue, live::changed);
        hostNames.addAll(extraHostNames);
        hostNames.addAll(Set.of("localhost", "127.0.0.1", "[::1]"));
        hostNames.add(address.getHostString().toLowerCase(Locale.ROOT));
        if (address.getAddress() != null && address.getAddress().isAnyLocalAddress()) {
            hostNames.add("*");
        }
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newFixedThreadPool(MAX_STREAMS + 8, runnable -> {
            Thread thread = new Thread(runnable, "queuack-dashboard-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        subscription = queue.listen(live);
        http.start();
    }

    String baseUrl() {
        InetSocketAddress bound = http.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/";
    }

    int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            answer(exchange);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "A dashboard client went away", e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The dashboard could not answer " + exchange.getRequestURI(), e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (!allowedHost(exchange.getRequestHeaders().getFirst("Host"))
                && !fromJupyterProxy(exchange.getRequestHeaders().getFirst("X-Forwarded-Context"))) {
            send(exchange, 421, "text/plain", "This dashboard answers requests for " + hostNames + " only\n");
            return;
        }
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        String method = exchange.getRequestMethod();
        if (path.startsWith("/static/")) {
            sendStatic(exchange, path.substring("/static/".length()));
            return;
        }
        if (path.equals("/action")) {
            act(exchange);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, "text/plain", "Only GET here\n");
            return;
        }
        Query query = Query.parse(uri.getRawQuery());
        String offered = query.get(KEY);
        if (offered != null) {
            acceptToken(exchange, path, offered);
            return;
        }
        if (path.equals("/events")) {
            stream(exchange);
            return;
        }
        Pages.Page page = pages.find(path);
        if (page == null) {
            send(exchange, 404, "text/html", Layout.page("Not found", queue.description(), false,
                    "<h1>Not found</h1><p>No page " + Html.escape(path) + " here. <a href=\"./\">Queues</a></p>"));
            return;
        }
        View view = new View(queue, counts, query, presentedToken(exchange) ? token : null, java.time.Instant.now());
        int status = 200;
        String main;
        try {
            main = page.render().apply(view);
        } catch (Query.BadRequest | IllegalArgumentException e) {
            status = 400;
            main = "<h1>Bad request</h1><p class=\"error\">" + Html.escape(String.valueOf(e.getMessage())) + "</p>";
        } catch (JobNotFoundException | Pages.NotFound e) {
            status = 404;
            main = "<h1>Not found</h1><p>" + Html.escape(String.valueOf(e.getMessage())) + "</p>";
        } catch (RuntimeException e) {
            status = 500;
            LOG.log(System.Logger.Level.WARNING, "The dashboard page " + uri + " failed", e);
            main = "<h1>The store could not answer</h1><p class=\"error\">" + Html.escape(e.toString()) + "</p>";
        }
        boolean fragment = "main".equals(exchange.getRequestHeaders().getFirst("X-Queuack-Fragment"));
        send(exchange, status, "text/html", fragment ? main : Layout.page(page.title(), queue.description(),
                page.live(), main));
    }

    private boolean allowedHost(String header) {
        if (hostNames.contains("*")) {
            return true;
        }
        if (header == null) {
            return false;
        }
        String host = header.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return hostNames.contains(host);
    }

    private boolean fromJupyterProxy(String context) {
        return proxyPrefix != null && context != null && context.startsWith(proxyPrefix);
    }

    /** A link with the token: keep it in a cookie and go on to the same page without it in the address. */
    private void acceptToken(HttpExchange exchange, String path, String offered) throws IOException {
        if (token == null || !same(token, offered)) {
            send(exchange, 403, "text/plain", token == null ? "This dashboard is read-only: it was started without"
                    + " actions\n" : "Wrong token: open the address the dashboard printed when it started\n");
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        String last = path.substring(path.lastIndexOf('/') + 1);
        exchange.getResponseHeaders().set("Location", last.isEmpty() ? "./" : last);
        send(exchange, 303, "text/plain", "");
    }

    /** Cookies are shared by every port of a host: each dashboard names its own. */
    private String cookieName() {
        return "queuack_token_" + port();
    }

    private boolean presentedToken(HttpExchange exchange) {
        if (token == null) {
            return false;
        }
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(cookieName()) && same(token, pair[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean same(String expected, String offered) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
    }

    /** A form posted by an action button: the form's token must match (the cookie alone is not enough). */
    private void act(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            send(exchange, 405, "text/plain", "Actions are posted\n");
            return;
        }
        if (token == null) {
            send(exchange, 403, "text/plain", "This dashboard is read-only: start it with actions allowed\n");
            return;
        }
        byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
        if (body.length > MAX_FORM_BYTES) {
            send(exchange, 413, "text/plain", "Form over " + MAX_FORM_BYTES + " bytes\n");
            return;
        }
        Query form = Query.parse(new String(body, StandardCharsets.US_ASCII));
        String offered = form.get("token");
        if (offered == null || !same(token, offered)) {
            send(exchange, 403, "text/plain", "Missing or wrong token: open the address the dashboard printed\n");
            return;
        }
        String back;
        try {
            back = Actions.perform(queue, form);
        } catch (Query.BadRequest | IllegalArgumentException | IllegalStateException e) {
            send(exchange, 400, "text/plain", e.getMessage() + "\n");
            return;
        }
        exchange.getResponseHeaders().set("Location", back);
        send(exchange, 303, "text/plain", "");
    }

    /** Server-sent events: one message whenever the store changed, a comment every 15 s to keep proxies open. */
    private void stream(HttpExchange exchange) throws IOException {
        if (!streams.tryAcquire()) {
            send(exchange, 503, "text/plain", "Too many open live pages (" + MAX_STREAMS + ")\n");
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            long seen = live.version();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                long now = live.awaitChange(seen, 15_000);
                out.write((now == seen ? ": idle\n\n" : "data: " + now + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                seen = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    private static final Map<String, String> STATIC_TYPES = Map.of("dashboard.css", "text/css",
            "dashboard.js", "text/javascript");

    private void sendStatic(HttpExchange exchange, String name) throws IOException {
        String type = STATIC_TYPES.get(name);
        if (type == null) {
            send(exchange, 404, "text/plain", "No such file\n");
            return;
        }
        try (InputStream in = Server.class.getResourceAsStream(name)) {
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type + "; charset=utf-8");
        headers.set("Content-Security-Policy", SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        counts.close();
        http.stop(0);
        threads.shutdownNow();
    }
}
