package io.queuack;

import io.queuack.event.EnqueuedEvent;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.ProgressEvent;
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
 * listens, so events cost nothing then.
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

    void enqueued(EnqueuedEvent event) {
        post(listener -> listener.onEnqueued(event));
    }

    void statusChanged(List<JobEvent> events) {
        if (!events.isEmpty()) {
            post(listener -> events.forEach(listener::onStatusChanged));
        }
    }

    void runsChanged(List<RunEvent> events) {
        if (!events.isEmpty()) {
            post(listener -> events.forEach(listener::onRunStatusChanged));
        }
    }

    void progress(ProgressEvent event) {
        post(listener -> listener.onProgress(event));
    }

    private void post(Consumer<JobListener> delivery) {
        if (listeners.isEmpty()) {
            return;
        }
        List<JobListener> targets = List.copyOf(listeners);
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
