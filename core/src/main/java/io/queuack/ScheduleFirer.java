package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.schedule.MissedSlots;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Slot;
import io.queuack.storage.JobBatch;
import io.queuack.storage.RunPlan;
import io.queuack.storage.ScheduleFired;
import io.queuack.storage.ScheduleFiring;
import io.queuack.storage.ScheduleRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires the due slots of stored schedules: for each due schedule, picks the slots its missed-slot policy fires,
 * builds their jobs or runs (keyed by slot) and stores them together with the schedule's next fire time in one
 * transaction guarded by the schedule's version. Any number of processes may fire at once; each slot fires once.
 */
final class ScheduleFirer {

    private static final System.Logger LOG = System.getLogger(ScheduleFirer.class.getName());
    /** Due schedules read per round trip. */
    private static final int BATCH = 100;
    /** Slots that can be on time at once: one per second of {@link MissedSlots#ON_TIME}, and one more. */
    private static final int MAX_ON_TIME_SLOTS = (int) MissedSlots.ON_TIME.toSeconds() + 2;

    private final Engine engine;
    private final Enqueuer enqueuer;
    private final DagSubmitter dags;
    private final ScheduleCodec codec;
    /** Schedule versions that failed to fire, so that a broken one is reported once, not at every tick. */
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    ScheduleFirer(Engine engine, Enqueuer enqueuer, DagSubmitter dags, ScheduleCodec codec) {
        this.engine = engine;
        this.enqueuer = enqueuer;
        this.dags = dags;
        this.codec = codec;
    }

    /** @return the names of the DAGs whose schedules this process can fire */
    Set<String> fireableDags() {
        return dags.registeredNames();
    }

    /** Fires every due slot at {@code now}. @return how many slots fired (jobs or runs started) */
    int fireDue(Instant now) {
        int fired = 0;
        Set<String> dagNames = fireableDags();
        while (true) {
            List<ScheduleRow> due = engine.storage().dueSchedules(now, dagNames, BATCH);
            int moved = 0;
            for (ScheduleRow row : due) {
                String attempt = row.name() + "@" + row.version();
                if (failed.contains(attempt)) {
                    continue;
                }
                try {
                    fired += fire(row, now);
                    moved++;
                } catch (RuntimeException e) {
                    failed.add(attempt);
                    LOG.log(System.Logger.Level.WARNING, "Schedule '" + row.name() + "' could not fire: " + e.getMessage()
                            + " (it is tried again once it changes)", e);
                }
            }
            if (due.size() < BATCH || moved == 0) {
                return fired;
            }
        }
    }

    /** Fires one due schedule. @return how many of its slots fired (0 if another process fired them first) */
    private int fire(ScheduleRow row, Instant now) {
        Schedule schedule = codec.read(row.name(), row.definition());
        MissedSlots missed = schedule.missed();
        List<Instant> due = schedule.timing().slotsBetween(row.nextFireAt().minusNanos(1), now, schedule.zone(),
                Math.max(missed.cap(), 1) + MAX_ON_TIME_SLOTS);
        List<Instant> chosen = missed.choose(due, now);
        Instant next = schedule.timing().nextAfter(now, schedule.zone()).orElse(null);
        Instant lastSlot = chosen.isEmpty() ? row.lastSlot() : chosen.get(chosen.size() - 1);
        List<Slot> slots = chosen.stream().map(time -> new Slot(schedule.name(), time, schedule.zone().getId())).toList();
        List<JobBatch> jobs = new ArrayList<>();
        List<RunPlan> runs = new ArrayList<>();
        if (!slots.isEmpty() && schedule.kind() == Schedule.Kind.TASK) {
            jobs.add(taskJobs(schedule, slots, now));
        } else if (!slots.isEmpty()) {
            Dag dag = dags.registered(schedule.target()).orElseThrow(() -> new IllegalStateException("DAG '"
                    + schedule.target() + "' is not registered in this process"));
            slots.forEach(slot -> runs.add(dags.planRun(dag, runOptions(schedule, slot), slot.key(), now)));
        }
        ScheduleRow after = row.changed(row.definition(), row.dag(), row.paused(), next, lastSlot, now);
        Optional<ScheduleFired> fired = engine.storage().fireSchedule(new ScheduleFiring(row.version(), after, jobs, runs));
        if (fired.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < jobs.size(); i++) {
            enqueuer.announce(jobs.get(i), fired.get().jobs().get(i), now);
        }
        for (int i = 0; i < runs.size(); i++) {
            dags.announce(runs.get(i), fired.get().runs().get(i));
        }
        if (due.size() > chosen.size()) {
            LOG.log(System.Logger.Level.INFO, "Schedule '" + schedule.name() + "' passed over " + (due.size()
                    - chosen.size()) + " missed slot(s) (missed-slot policy " + missed + ")");
        }
        return slots.size();
    }

    private JobBatch taskJobs(Schedule schedule, List<Slot> slots, Instant now) {
        List<String> arguments = new ArrayList<>(slots.size());
        List<String> keys = new ArrayList<>(slots.size());
        String fixed = schedule.argument() == null ? null : engine.codec().writeArgument(schedule.target(),
                schedule.argument());
        for (Slot slot : slots) {
            arguments.add(fixed != null ? fixed : engine.codec().writeArgument(schedule.target(), slot));
            keys.add(slot.key());
        }
        return enqueuer.scheduledBatch(schedule.target(), schedule.options(), arguments, keys, now);
    }

    private static RunOptions runOptions(Schedule schedule, Slot slot) {
        Map<String, Object> parameters = new LinkedHashMap<>(schedule.parameters());
        parameters.putAll(slot.parameters());
        return RunOptions.defaults().parameters(parameters).reuseResults(schedule.reuseResults());
    }
}
