package io.queuack;

import io.queuack.error.QueuackException;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.ScheduleInfo;
import io.queuack.storage.ScheduleRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The recurring schedules of a queue's store: save, list, pause, resume and delete them. They live in the store,
 * so they survive restarts and every process of a shared store sees them. Slots fire while a worker pool of some
 * process that opened the store runs (and by {@link #fireDue()}); each slot fires once, however many processes
 * try.
 *
 * <pre>{@code
 * queue.schedules().save(Schedule.task("morning-report", "report").cron("0 6 * * *").zone("Europe/Paris"));
 * queue.schedules().list().forEach(s -> System.out.println(s.name() + " next " + s.nextFireAt()));
 * }</pre>
 */
public final class Schedules {

    private static final System.Logger LOG = System.getLogger(Schedules.class.getName());
    /** How often a changed schedule is written again when another process changed it at the same moment. */
    private static final int MAX_RACES = 10;

    private final Engine engine;
    private final Enqueuer enqueuer;
    private final DagSubmitter dags;
    private final ScheduleCodec codec;
    private final ScheduleFirer firer;
    private final ScheduleTicker ticker;

    Schedules(Engine engine, Enqueuer enqueuer, DagSubmitter dags) {
        this.engine = engine;
        this.enqueuer = enqueuer;
        this.dags = dags;
        this.codec = new ScheduleCodec(engine.codec());
        this.firer = new ScheduleFirer(engine, enqueuer, dags, codec);
        this.ticker = new ScheduleTicker(engine, firer);
    }

    /**
     * Stores {@code schedule}, or changes the stored one of its name (keeping its paused state and latest slot).
     * Its next fire time is its first slot from now on; a changed schedule whose timing and zone stayed the same
     * keeps its next fire time, so that saving it again (re-running a notebook cell) misses nothing.
     *
     * @return the schedule as stored, with its next fire time
     * @throws IllegalArgumentException if it has no timing, its timing has no slot after now, or it names an
     *                                  in-process lambda or a DAG's task; on a store of one process, if its task or
     *                                  DAG is not registered here
     */
    public ScheduleInfo save(Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        engine.checkOpen();
        check(schedule);
        String definition = codec.write(schedule);
        String dag = schedule.kind() == Schedule.Kind.DAG ? schedule.target() : null;
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = engine.now();
            Optional<ScheduleRow> stored = engine.storage().schedule(schedule.name());
            ScheduleRow row;
            if (stored.isEmpty()) {
                row = new ScheduleRow(schedule.name(), definition, dag, false, firstSlot(schedule, now), null, 1, now, now);
            } else {
                ScheduleRow old = stored.get();
                Schedule before = readQuietly(old);
                boolean sameTiming = before != null && before.timing().equals(schedule.timing())
                        && before.zone().equals(schedule.zone());
                row = old.changed(definition, dag, old.paused(), sameTiming ? old.nextFireAt() : firstSlot(schedule, now),
                        old.lastSlot(), now);
            }
            if (engine.storage().putSchedule(row, stored.map(ScheduleRow::version).orElse(0L))) {
                ticker.wake();
                return info(row);
            }
        }
        throw new QueuackException("Schedule '" + schedule.name() + "' changed under us " + MAX_RACES + " times in a row;"
                + " try again");
    }

    private void check(Schedule schedule) {
        if (schedule.timing() == null) {
            throw new IllegalArgumentException("Schedule '" + schedule.name() + "' has no timing: give it one with"
                    + " cron(...) or every(...)");
        }
        boolean oneProcess = engine.storage().isExclusive();
        if (schedule.kind() == Schedule.Kind.TASK) {
            enqueuer.checkSchedulable(schedule.target());
            if (oneProcess && engine.registry().find(schedule.target()) == null) {
                throw new IllegalArgumentException("Schedule '" + schedule.name() + "' starts task '" + schedule.target()
                        + "', which is not registered: register it first (queue.register(\"" + schedule.target()
                        + "\", ...))");
            }
            engine.codec().writeArgument(schedule.target(), schedule.argument());
        } else if (schedule.dag().isPresent()) {
            dags.register(schedule.dag().get());
        } else if (oneProcess && dags.registered(schedule.target()).isEmpty()) {
            throw new IllegalArgumentException("Schedule '" + schedule.name() + "' starts DAG '" + schedule.target()
                    + "', which is not registered: pass the DAG itself (Schedule.dag(name, dag)) or register it first");
        }
    }

    private static Instant firstSlot(Schedule schedule, Instant now) {
        return schedule.timing().nextAfter(now, schedule.zone()).orElseThrow(() -> new IllegalArgumentException(
                "Schedule '" + schedule.name() + "' never fires: " + schedule.timing().describe() + " has no slot after "
                        + now));
    }

    /**
     * @return every stored schedule, by name; one whose stored definition cannot be read (changed by hand) is left out
     *         with a warning in the log (it does not fire either: delete it and save it again)
     */
    public List<ScheduleInfo> list() {
        engine.checkOpen();
        List<ScheduleInfo> schedules = new ArrayList<>();
        for (ScheduleRow row : engine.storage().schedules()) {
            try {
                schedules.add(info(row));
            } catch (QueuackException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
        return schedules;
    }

    /** @return the stored schedule of that name */
    public Optional<ScheduleInfo> get(String name) {
        Objects.requireNonNull(name, "name");
        engine.checkOpen();
        return engine.storage().schedule(name).map(this::info);
    }

    /**
     * Pauses a schedule: its slots pass without firing until it is resumed. Pausing twice does nothing.
     *
     * @throws IllegalArgumentException if no schedule has that name
     */
    public ScheduleInfo pause(String name) {
        return setPaused(name, true);
    }

    /**
     * Resumes a paused schedule from now on: the slots that passed while it was paused do not fire (its
     * missed-slot policy is for slots missed while nothing ran, not for a pause).
     *
     * @throws IllegalArgumentException if no schedule has that name
     */
    public ScheduleInfo resume(String name) {
        return setPaused(name, false);
    }

    private ScheduleInfo setPaused(String name, boolean paused) {
        Objects.requireNonNull(name, "name");
        engine.checkOpen();
        for (int race = 0; race < MAX_RACES; race++) {
            ScheduleRow row = require(name);
            if (row.paused() == paused) {
                return info(row);
            }
            Instant now = engine.now();
            Instant next = row.nextFireAt();
            if (!paused && next != null && !next.isAfter(now)) {
                Schedule schedule = codec.read(name, row.definition());
                next = schedule.timing().nextAfter(now, schedule.zone()).orElse(null);
            }
            ScheduleRow changed = row.changed(row.definition(), row.dag(), paused, next, row.lastSlot(), now);
            if (engine.storage().putSchedule(changed, row.version())) {
                ticker.wake();
                return info(changed);
            }
        }
        throw new QueuackException("Schedule '" + name + "' changed under us " + MAX_RACES + " times in a row; try again");
    }

    /** Deletes a schedule; the jobs and runs it started stay. @return true if it was stored */
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        engine.checkOpen();
        return engine.storage().deleteSchedule(name);
    }

    /**
     * Fires every slot due now, in this thread: what running worker pools do on their own, for scripts and tests
     * that drive the clock. DAG schedules fire only if their DAG is registered in this process.
     *
     * @return how many slots fired (each started a job or a run)
     */
    public int fireDue() {
        engine.checkOpen();
        return firer.fireDue(engine.now());
    }

    /** A worker pool started: slots fire in the background from now on. Calling twice does nothing. */
    void startTicking() {
        ticker.start();
    }

    /** Stops the background firing and waits for it. */
    void stopTicking() {
        ticker.stop();
    }

    private ScheduleRow require(String name) {
        return engine.storage().schedule(name).orElseThrow(() -> new IllegalArgumentException("No schedule named '"
                + name + "'" + engine.storage().schedules().stream().map(ScheduleRow::name).reduce((a, b) -> a + ", " + b)
                .map(names -> "; stored: " + names).orElse("; none is stored")));
    }

    private Schedule readQuietly(ScheduleRow row) {
        try {
            return codec.read(row.name(), row.definition());
        } catch (QueuackException e) {
            return null;        // an unreadable stored definition is replaced by the new one
        }
    }

    private ScheduleInfo info(ScheduleRow row) {
        return new ScheduleInfo(codec.read(row.name(), row.definition()), row.paused(), row.nextFireAt(), row.lastSlot(),
                row.createdAt(), row.updatedAt());
    }
}
