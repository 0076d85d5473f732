package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.dag.RunOptions;
import io.queuack.error.QueueClosedException;
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
 * Fires the due slots of stored schedules: for each due schedule, picks the slots its missed-slot policy fires and
 * builds their jobs or runs (keyed by slot); a batch of due schedules is stored with their next fire times in one
 * transaction, each guarded by its schedule's version. Any number of processes may fire at once; each slot fires once.
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
            List<Planned> planned = new ArrayList<>(due.size());
            for (ScheduleRow row : due) {
                String attempt = row.name() + "@" + row.version();
                if (failed.contains(attempt)) {
                    continue;
                }
                try {
                    planned.add(plan(row, now));
                } catch (RuntimeException e) {
                    failed.add(attempt);
                    LOG.log(System.Logger.Level.WARNING, "Schedule '" + row.name() + "' could not fire: " + e.getMessage()
                            + " (it is tried again once it changes)", e);
                }
            }
            fired += fire(planned, now);
            if (due.size() < BATCH || planned.isEmpty()) {
                return fired;
            }
        }
    }

    /** One due schedule's firing, and what it passes over, ready to store. */
    private record Planned(Schedule schedule, ScheduleFiring firing, int passedOver) {
    }

    /** @return the firing of one due schedule: the slots its missed-slot policy fires, their jobs or runs */
    private Planned plan(ScheduleRow row, Instant now) {
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
        return new Planned(schedule, new ScheduleFiring(row.version(), after, jobs, runs), due.size() - chosen.size());
    }

    /**
     * Stores the firings in one transaction, or, if that fails, one by one, so that one firing the store refuses does
     * not hold back the others (it is left until its schedule changes); a store that cannot be reached fails the
     * whole call, and the next tick tries again. @return how many slots fired (those another process fired first
     * are not counted)
     */
    private int fire(List<Planned> planned, Instant now) {
        if (planned.isEmpty()) {
            return 0;
        }
        List<Optional<ScheduleFired>> results;
        try {
            results = engine.storage().fireSchedules(planned.stream().map(Planned::firing).toList());
        } catch (RuntimeException e) {
            if (planned.size() == 1) {
                throw e;
            }
            int fired = 0;
            List<Planned> refused = new ArrayList<>();
            RuntimeException first = null;
            for (Planned one : planned) {
                try {
                    fired += fire(List.of(one), now);
                } catch (QueueClosedException closed) {
                    throw closed;
                } catch (RuntimeException alone) {
                    refused.add(one);
                    first = first == null ? alone : first;
                }
            }
            if (refused.size() == planned.size()) {
                throw first;                // nothing could be stored: the store, not the schedules; the next tick retries
            }
            for (Planned one : refused) {
                ScheduleRow row = one.firing().row();
                failed.add(row.name() + "@" + one.firing().expectedVersion());
                LOG.log(System.Logger.Level.WARNING, "Schedule '" + row.name() + "' could not fire: the store refused"
                        + " it while it took others (it is tried again once it changes)", first);
            }
            return fired;
        }
        int fired = 0;
        for (int i = 0; i < planned.size(); i++) {
            Optional<ScheduleFired> stored = results.get(i);
            if (stored.isEmpty()) {
                continue;
            }
            ScheduleFiring firing = planned.get(i).firing();
            for (int j = 0; j < firing.jobs().size(); j++) {
                enqueuer.announce(firing.jobs().get(j), stored.get().jobs().get(j), now);
            }
            for (int j = 0; j < firing.runs().size(); j++) {
                dags.announce(firing.runs().get(j), stored.get().runs().get(j));
            }
            fired += firing.jobs().stream().mapToInt(JobBatch::size).sum() + firing.runs().size();
            if (planned.get(i).passedOver() > 0) {
                LOG.log(System.Logger.Level.INFO, "Schedule '" + firing.row().name() + "' passed over "
                        + planned.get(i).passedOver() + " missed slot(s) (missed-slot policy "
                        + planned.get(i).schedule().missed() + ")");
            }
        }
        return fired;
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
