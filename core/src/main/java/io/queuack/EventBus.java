package io.queuack;

import io.queuack.event.EnqueuedEvent;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.ProgressEvent;
import io.queuack.event.RoundTripEvent;
import io.queuack.event.RunEvent;
import io.queuack.event.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers events to listeners on one daemon thread, in order. Nothing is queued while nobody
 * listens, so events cost nothing then. Events of changes other processes made in a shared store reach only
 * the listeners that {@linkplain JobListener#wantsRemoteEvents() want them}.
 */
final class EventBus implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "queuack-events");
        t.setDaemon(true);
        return t;
    });

    Subscription subscribe(JobListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** @return whether a listener wants the events of changes other processes make */
    boolean wantsRemoteEvents() {
        for (JobListener listener : listeners) {
            if (listener.wantsRemoteEvents()) {
                return true;
            }
        }
        return false;
    }

    void enqueued(EnqueuedEvent event) {
        post(listener -> listener.onEnqueued(event), false);
    }

    void statusChanged(List<JobEvent> events, boolean remote) {
        if (!events.isEmpty()) {
            post(listener -> events.forEach(listener::onStatusChanged), remote);
        }
    }

    void runsChanged(List<RunEvent> events) {
        runsChanged(events, false);
    }

    void runsChanged(List<RunEvent> events, boolean remote) {
        if (!events.isEmpty()) {
            post(listener -> events.forEach(listener::onRunStatusChanged), remote);
        }
    }

    void progress(ProgressEvent event) {
        post(listener -> listener.onProgress(event), false);
    }

    void progressFromElsewhere(ProgressEvent event) {
        post(listener -> listener.onProgress(event), true);
    }

    void roundTrip(RoundTripEvent event) {
        post(listener -> listener.onRoundTrip(event), false);
    }

    /** A worker pool's round trip and the status changes it stored, in one delivery; {@code trip} may be null. */
    void cycled(List<JobEvent> events, RoundTripEvent trip) {
        if (events.isEmpty() && trip == null) {
            return;
        }
        post(listener -> {
            events.forEach(listener::onStatusChanged);
            if (trip != null) {
                listener.onRoundTrip(trip);
            }
        }, false);
    }

    private void post(Consumer<JobListener> delivery, boolean remote) {
        if (listeners.isEmpty()) {
            return;
        }
        List<JobListener> targets = remote ? listeners.stream().filter(JobListener::wantsRemoteEvents).toList()
                : List.copyOf(listeners);
        if (targets.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            for (JobListener listener : targets) {
                try {
                    delivery.accept(listener);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Job listener " + listener + " threw; the event was skipped"
                            + " for it and jobs are not affected", e);
                }
            }
        });
    }

    /** Delivers what is queued (waiting up to 5 s), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Job listeners took over 5 s to drain; the remaining events were dropped");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
