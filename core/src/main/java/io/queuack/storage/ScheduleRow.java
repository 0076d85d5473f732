package io.queuack.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored schedule. Storage keeps the definition as JSON it does not read; it only finds due schedules by
 * their next fire time and guards every change by the version.
 *
 * @param name       the schedule's name (unique)
 * @param definition its definition as JSON
 * @param dag        the DAG it starts runs of, or null for a task schedule (only processes that register that DAG
 *                   fire it)
 * @param paused     true while paused
 * @param nextFireAt its next slot, or null if it has none
 * @param lastSlot   the latest slot fired, or null
 * @param version    raised by every change; a change written with an older version is refused
 * @param createdAt  when it was first saved
 * @param updatedAt  when it last changed
 */
public record ScheduleRow(String name, String definition, String dag, boolean paused, Instant nextFireAt,
                          Instant lastSlot, long version, Instant createdAt, Instant updatedAt) {

    public ScheduleRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** @return this row as it is after a change at {@code time} (the version one higher) */
    public ScheduleRow changed(String newDefinition, String newDag, boolean nowPaused, Instant next, Instant slot,
                               Instant time) {
        return new ScheduleRow(name, newDefinition, newDag, nowPaused, next, slot, version + 1, createdAt, time);
    }
}
