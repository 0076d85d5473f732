package io.queuack.dashboard;

import io.queuack.Queuack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A live web dashboard of a queue's store, served by this process: queues with counts and throughput, jobs with
 * filters and details, dead letters, DAG runs with their pictures updating live, schedules and worker hosts.
 * Self-contained (no CDN, no fonts downloaded), readable on a laptop and a phone.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.builder(queue).port(8080).allowActions().start()) {
 *     System.out.println(dashboard.url());     // open it; it carries the action token
 * }
 * }</pre>
 *
 * <p>Safety: it listens on loopback unless {@link Builder#host} says otherwise; it is read-only unless started with
 * {@link Builder#allowActions()}, and then acting (retry, cancel, purge) needs the token of {@link #url()} (kept in
 * a cookie of the browser that opened it); every page escapes stored text and forbids inline scripts.
 */
public final class Dashboard implements AutoCloseable {

    /** The port used unless {@link Builder#port} says otherwise: 0, a free one. */
    public static final int DEFAULT_PORT = 0;

    private final Server server;
    private final String token;

    private Dashboard(Server server, String token) {
        this.server = server;
        this.token = token;
    }

    /** @return a builder of a dashboard of {@code queue} */
    public static Builder builder(Queuack queue) {
        Objects.requireNonNull(queue, "queue");
        if (queue.isClosed()) {
            throw new IllegalArgumentException("The queue " + queue.description() + " is closed; open it first");
        }
        return new Builder(queue);
    }

    /** @return a read-only dashboard of {@code queue} on a free loopback port, started */
    public static Dashboard start(Queuack queue) {
        return builder(queue).start();
    }

    /** @return the address to open; with actions allowed it carries the token, which the browser keeps */
    public String url() {
        return server.baseUrl() + (token == null ? "" : "?" + Server.KEY + "=" + token);
    }

    /** @return the port it listens on */
    public int port() {
        return server.port();
    }

    /** @return whether a browser with the token may retry, cancel and purge */
    public boolean allowsActions() {
        return token != null;
    }

    /** Stops serving (open pages stop updating). Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "Queuack dashboard at " + server.baseUrl() + (token == null ? " (read-only)" : " (actions need its token)");
    }

    /** Options of a dashboard; {@link #start()} starts it. */
    public static final class Builder {

        private final Queuack queue;
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean actions;
        private final Set<String> hostNames = new LinkedHashSet<>();
        private String proxyPrefix;

        private Builder(Queuack queue) {
            this.queue = queue;
        }

        /**
         * @param host the interface to listen on: {@code 127.0.0.1} (the default) or {@code ::1} keep it on this
         *             machine; {@code 0.0.0.0} or a host's address let other machines reach it
         * @return this
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("Unknown host to listen on: '" + host + "'", e);
            }
            this.host = host;
            return this;
        }

        /** @param port the port, 1 to 65535, or 0 for a free one (the default) */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("The port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Lets browsers that present the token of {@link Dashboard#url()} retry, cancel and purge jobs. */
        public Builder allowActions() {
            this.actions = true;
            return this;
        }

        /**
         * @param name a host name browsers may use in their requests besides the address it listens on (e.g. the
         *             name a proxy forwards); requests naming another host are refused, which stops DNS-rebinding
         *             pages from reading the dashboard
         * @return this
         */
        public Builder allowHostName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.length() > 253 || name.chars().anyMatch(c -> c <= ' ' || c == '/')) {
                throw new IllegalArgumentException("Not a host name: '" + name + "'");
            }
            hostNames.add(name.toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        /**
         * @param prefix the path under which Jupyter's server proxy forwards to local ports (on JupyterHub and Binder
         *               the value of {@code JUPYTERHUB_SERVICE_PREFIX}, e.g. {@code /user/ada/}): requests it forwards
         *               (header {@code X-Forwarded-Context} under {@code <prefix>proxy/}) are accepted whatever host
         *               they name, since the proxy keeps the browser's
         * @return this
         */
        public Builder jupyterProxy(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.startsWith("/") || prefix.length() > 500 || prefix.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("A proxy prefix is a path such as /user/ada/, got '" + prefix + "'");
            }
            this.proxyPrefix = (prefix.endsWith("/") ? prefix : prefix + "/") + "proxy/";
            return this;
        }

        /** @return the dashboard, serving */
        public Dashboard start() {
            String token = actions ? newToken() : null;
            try {
                return new Dashboard(new Server(queue, new InetSocketAddress(host, port), token, hostNames, proxyPrefix), token);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
        }

        private static String newToken() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
