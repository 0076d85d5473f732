package io.queuack.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queuack.Queuack;
import io.queuack.metrics.QueuackMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A Prometheus scrape endpoint ({@code GET /metrics}) with the queue's meters and the JVM's (memory, garbage
 * collection, threads, classes, processor).
 */
final class MetricsEndpoint implements AutoCloseable {

    static {
        // As the dashboard's server: without it each scrape's body waits 40 ms for a delayed acknowledgement.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final QueuackMetrics metrics;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HttpServer server;

    MetricsEndpoint(Queuack queue, InetSocketAddress address) throws IOException {
        metrics = QueuackMetrics.of(queue);
        metrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        server = HttpServer.create(address, 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "queuack-metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** @return the scrape URL, with the port really bound */
    String url() {
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/metrics";
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean scrape = exchange.getRequestURI().getPath().equals("/metrics");
            boolean get = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
            byte[] body = (!scrape ? "Not found: the metrics are at /metrics\n"
                    : !get ? "Only GET\n" : registry.scrape()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", scrape && get ? PROMETHEUS_TEXT : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(!scrape ? 404 : !get ? 405 : 200,
                    exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        metrics.close();
        gc.close();
        registry.close();
    }
}
