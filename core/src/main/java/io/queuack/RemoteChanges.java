package io.queuack;

import io.queuack.event.ProgressEvent;
import io.queuack.job.JobStatus;
import io.queuack.storage.Changes;
import io.queuack.storage.StoreListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Brings what other processes change in a shared store into this session, as if it had happened here: pools
 * wake for jobs due elsewhere, listeners get the events, awaited runs complete, pause changes apply.
 */
final class RemoteChanges implements StoreListener {

    private final Engine engine;

    RemoteChanges(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void jobsDue(Map<String, Instant> queues) {
        queues.forEach(engine::jobsAdded);
    }

    @Override
    public void changed(Changes changes, List<StoredProgress> progress) {
        Instant now = engine.now();
        engine.announceFromElsewhere(changes, now);
        if (changes.jobs().stream().anyMatch(change -> change.from() == JobStatus.RUNNING)) {
            engine.placesFreed();
        }
        if (engine.events().wantsRemoteEvents()) {
            for (StoredProgress update : progress) {
                engine.events().progressFromElsewhere(new ProgressEvent(update.jobId(), update.queue(), update.task(),
                        update.progress(), update.message(), now));
            }
        }
    }

    @Override
    public void pausesChanged() {
        engine.pausedChanged();
    }

    @Override
    public boolean wantsJobEvents() {
        return engine.events().wantsRemoteEvents();
    }

    @Override
    public void missedChanges() {
        engine.runs().recheck();
        engine.jobsAdded(null, engine.now());
    }
}
