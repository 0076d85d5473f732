package io.queuack.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored schedule as it stands: its definition, whether it is paused, its next fire time and the latest slot
 * it fired.
 *
 * @param schedule   the definition
 * @param paused     true while paused (its slots pass without firing)
 * @param nextFireAt the next slot that fires, or null if the timing has no more slots
 * @param lastSlot   the latest slot fired, or null if none yet
 * @param createdAt  when it was first saved
 * @param updatedAt  when it last changed (saved, paused, resumed, fired)
 */
public record ScheduleInfo(Schedule schedule, boolean paused, Instant nextFireAt, Instant lastSlot, Instant createdAt,
                           Instant updatedAt) {

    /** Most next fire times {@link #nextSlots} lists. */
    public static final int MAX_NEXT_SLOTS = 1_000;

    public ScheduleInfo {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public String name() {
        return schedule.name();
    }

    /** @return the next slot that fires, if any (paused schedules included) */
    public Optional<Instant> next() {
        return Optional.ofNullable(nextFireAt);
    }

    /** @return the next {@code count} slots from {@link #nextFireAt} on (fewer if the timing ends), 1 to 1000 */
    public List<Instant> nextSlots(int count) {
        if (count < 1 || count > MAX_NEXT_SLOTS) {
            throw new IllegalArgumentException("Count must be between 1 and " + MAX_NEXT_SLOTS + ", was " + count);
        }
        List<Instant> slots = new ArrayList<>();
        Optional<Instant> slot = next();
        while (slot.isPresent() && slots.size() < count) {
            slots.add(slot.get());
            slot = schedule.timing().nextAfter(slot.get(), schedule.zone());
        }
        return slots;
    }
}
