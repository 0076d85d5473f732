package io.queuack.storage.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.queuack.job.JobError;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.JobTransition;
import io.queuack.storage.RunTransition;
import io.queuack.storage.StoreListener.StoredProgress;
import io.queuack.storage.StoreListener;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the store's notification channel (LISTEN, on a connection of its own) and hands what other
 * processes published ({@link Publication}) to a {@link StoreListener}, on one daemon thread. A lost connection
 * is re-established with back-off; the listener then hears {@link StoreListener#missedChanges()}, since
 * notifications sent meanwhile are gone.
 */
final class ChangeFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());
    private static final int WAIT_MILLIS = 250;
    /** How often the feed renews its own interest in job-level changes and looks for other sessions'. */
    private static final long DEMAND_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DataSource dataSource;
    private final String channel;
    private final String origin;
    private final String description;
    private final StoreListener listener;
    /** Set while some other session listens for job-level changes: this process then sends its own. */
    private final AtomicBoolean othersWantJobEvents;
    private final Thread thread;
    private volatile boolean closed;

    ChangeFeed(DataSource dataSource, String channel, String origin, String description, StoreListener listener,
               AtomicBoolean othersWantJobEvents) {
        this.dataSource = dataSource;
        this.othersWantJobEvents = othersWantJobEvents;
        this.channel = channel;
        this.origin = origin;
        this.description = description;
        this.listener = listener;
        this.thread = new Thread(this::listen, "queuack-postgres-listen");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void listen() {
        int failures = 0;
        boolean connectedBefore = false;
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN \"" + channel + "\"");
                }
                if (connectedBefore) {
                    LOG.log(System.Logger.Level.INFO, "Listening to {0} again", description);
                    deliverSafely(listener::missedChanges);
                }
                connectedBefore = true;
                failures = 0;
                PGConnection notifications = connection.unwrap(PGConnection.class);
                long nextDemandCheck = System.nanoTime();
                while (!closed) {
                    if (System.nanoTime() - nextDemandCheck >= 0) {
                        checkDemand(connection);
                        nextDemandCheck = System.nanoTime() + DEMAND_CHECK_NANOS;
                    }
                    PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
                    if (arrived != null) {
                        for (PGNotification notification : arrived) {
                            deliver(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (failures++ == 0) {
                    LOG.log(System.Logger.Level.WARNING, "Lost the notification connection to {0} ({1}); polling"
                            + " meanwhile, reconnecting", description, e.getMessage());
                    LOG.log(System.Logger.Level.DEBUG, "The notification connection failed with", e);
                }
                pause(Math.min(2_000, 50L << Math.min(failures, 6)));
            }
        }
    }

    /**
     * Renews this session's interest in job-level changes (while its listener has it) and learns whether another
     * session has one (a heartbeat in the last 5 s, by the server's clock).
     */
    private void checkDemand(Connection connection) throws SQLException {
        if (listener.wantsJobEvents()) {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO queuack_listeners (id, heartbeat_at)"
                    + " VALUES (?, now() AT TIME ZONE 'UTC') ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at")) {
                upsert.setString(1, origin);
                upsert.executeUpdate();
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM queuack_listeners"
                + " WHERE id <> ? AND heartbeat_at > now() AT TIME ZONE 'UTC' - interval '5 seconds')")) {
            select.setString(1, origin);
            try (ResultSet rs = select.executeQuery()) {
                othersWantJobEvents.set(rs.next() && rs.getBoolean(1));
            }
        }
    }

    private void deliver(String payload) {
        JsonNode message;
        try {
            message = Publication.JSON.readTree(payload);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Ignored a notification on " + channel + " that is not Queuack's", e);
            return;
        }
        if (origin.equals(message.path("o").asText())) {
            return;
        }
        List<JobTransition> jobs = new ArrayList<>();
        List<RunTransition> runs = new ArrayList<>();
        List<StoredProgress> progress = new ArrayList<>();
        for (JsonNode entry : message.path("e")) {
            switch (entry.path(0).asText()) {
                case "j" -> jobs.add(new JobTransition(entry.path(1).asLong(), entry.path(2).asText(),
                        entry.path(3).asText(), JobStatus.fromDbName(entry.path(4).asText()),
                        JobStatus.fromDbName(entry.path(5).asText()), entry.path(6).asInt(),
                        entry.has(7) ? JobError.of(entry.path(7).asText(), entry.path(8).asText(null)) : null));
                case "r" -> runs.add(new RunTransition(entry.path(1).asLong(), entry.path(2).asText(),
                        RunStatus.fromDbName(entry.path(3).asText()), RunStatus.fromDbName(entry.path(4).asText())));
                case "p" -> progress.add(new StoredProgress(entry.path(1).asLong(), entry.path(2).asText(),
                        entry.path(3).asText(), entry.path(4).asDouble(), entry.path(5).asText(null)));
                default -> {
                    // an entry kind of a newer version: skipped
                }
            }
        }
        if (!jobs.isEmpty() || !runs.isEmpty() || !progress.isEmpty()) {
            deliverSafely(() -> listener.changed(new Changes(jobs, runs), progress));
        }
        Map<String, Instant> due = new HashMap<>();
        message.path("d").fields().forEachRemaining(field ->
                due.put(field.getKey(), Instant.ofEpochMilli(field.getValue().asLong())));
        if (!due.isEmpty()) {
            deliverSafely(() -> listener.jobsDue(due));
        }
        if (message.has("x")) {
            deliverSafely(listener::pausesChanged);
        }
    }

    private void deliverSafely(Runnable delivery) {
        try {
            delivery.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The listener of " + description + " threw on a change from"
                    + " another process; the feed goes on", e);
        }
    }

    private void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement forget = connection.prepareStatement("DELETE FROM queuack_listeners WHERE id = ?")) {
            connection.setAutoCommit(true);
            forget.setString(1, origin);
            forget.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not remove this session from the listeners of " + description, e);
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
