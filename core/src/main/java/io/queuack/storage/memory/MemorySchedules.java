package io.queuack.storage.memory;

import io.queuack.storage.ScheduleRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The schedules of a {@link MemoryStorage}; the store's lock guards every call. */
final class MemorySchedules {

    private static final Comparator<ScheduleRow> SOONEST = Comparator.comparing(ScheduleRow::nextFireAt)
            .thenComparing(ScheduleRow::name);

    private final TreeMap<String, ScheduleRow> byName = new TreeMap<>();

    /** @return whether a row with that name and version is stored ({@code 0}: no row of that name) */
    boolean has(String name, long version) {
        ScheduleRow stored = byName.get(name);
        return version == 0 ? stored == null : stored != null && stored.version() == version;
    }

    boolean put(ScheduleRow row, long expectedVersion) {
        if (!has(row.name(), expectedVersion)) {
            return false;
        }
        byName.put(row.name(), row);
        return true;
    }

    boolean delete(String name) {
        return byName.remove(name) != null;
    }

    Optional<ScheduleRow> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    List<ScheduleRow> all() {
        return List.copyOf(byName.values());
    }

    List<ScheduleRow> due(Instant now, Set<String> dags, int limit) {
        List<ScheduleRow> due = new ArrayList<>();
        for (ScheduleRow row : byName.values()) {
            if (fireable(row, dags) && !row.nextFireAt().isAfter(now)) {
                due.add(row);
            }
        }
        due.sort(SOONEST);
        return due.size() > limit ? List.copyOf(due.subList(0, limit)) : due;
    }

    Optional<Instant> next(Set<String> dags) {
        return byName.values().stream().filter(row -> fireable(row, dags)).map(ScheduleRow::nextFireAt)
                .min(Comparator.naturalOrder());
    }

    private static boolean fireable(ScheduleRow row, Set<String> dags) {
        return !row.paused() && row.nextFireAt() != null && (row.dag() == null || dags.contains(row.dag()));
    }
}
