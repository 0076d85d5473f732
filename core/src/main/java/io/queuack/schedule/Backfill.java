package io.queuack.schedule;

import io.queuack.dag.Dag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DAG run for every slot of a range: every day of a date range, every value of a parameter, or every slot of a
 * schedule between two times. Submitted with {@code queue.backfill(backfill)}, it is one parent run with one child
 * run per slot, at most {@link #concurrency()} slots at once across every worker of the store; it survives a crash
 * (finished slots are not run again) and, by default, reuses the results of tasks whose inputs did not change.
 * Immutable; every method validates its input and returns a copy.
 *
 * <pre>{@code
 * queue.backfill(Backfill.days(etl, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")).concurrency(4));
 * queue.backfill(Backfill.values(etl, "region", List.of("eu", "us", "apac")));
 * queue.backfill(Backfill.slots(dailySchedule, Instant.parse("2026-11-01T00:00:00Z"), Instant.now()));
 * }</pre>
 */
public final class Backfill {

    /** The most slots one backfill may have. */
    public static final int MAX_SLOTS = 10_000;
    /** Slots that run at once unless {@link #concurrency(int)} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The highest {@link #concurrency(int)}. */
    public static final int MAX_CONCURRENCY = 1_000;
    /** The longest slot label: longer values are cut (the slot's parameters keep them whole). */
    public static final int MAX_LABEL_LENGTH = 64;

    /**
     * One slot: its label (unique in the backfill) and the run parameters it adds.
     *
     * @param label      what the slot is called in pictures and listings, e.g. {@code 2026-11-03} or {@code region=eu}
     * @param parameters the parameters of its run (added to the backfill's own)
     */
    public record SlotRun(String label, Map<String, Object> parameters) {
        public SlotRun {
            Objects.requireNonNull(label, "label");
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    private final Dag dag;
    private final List<SlotRun> slots;
    private final int concurrency;
    private final boolean reuseResults;
    private final Map<String, Object> parameters;

    private Backfill(Dag dag, List<SlotRun> slots, int concurrency, boolean reuseResults, Map<String, Object> parameters) {
        this.dag = dag;
        this.slots = slots;
        this.concurrency = concurrency;
        this.reuseResults = reuseResults;
        this.parameters = parameters;
    }

    private static Backfill of(Dag dag, List<SlotRun> slots) {
        Objects.requireNonNull(dag, "dag");
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("A backfill of '" + dag.name() + "' needs at least one slot; the range"
                    + " given has none");
        }
        if (slots.size() > MAX_SLOTS) {
            throw new IllegalArgumentException("A backfill has at most " + MAX_SLOTS + " slots; the range given has "
                    + slots.size() + ": split it into several backfills");
        }
        return new Backfill(dag, List.copyOf(slots), DEFAULT_CONCURRENCY, true, Map.of());
    }

    /**
     * @param first the first day, as the run parameter {@value Slot#DAY} ({@code "2026-11-01"})
     * @param last  the last day (included), not before {@code first}
     * @return a backfill with one slot per day
     */
    public static Backfill days(Dag dag, LocalDate first, LocalDate last) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("The last day (" + last + ") is before the first (" + first + ")");
        }
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days > MAX_SLOTS) {
            throw new IllegalArgumentException("A backfill has at most " + MAX_SLOTS + " slots; " + first + " to " + last
                    + " is " + days + " days: split it into several backfills");
        }
        List<SlotRun> slots = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            slots.add(new SlotRun(day.toString(), Map.of(Slot.DAY, day.toString())));
        }
        return of(dag, slots);
    }

    /**
     * @param parameter the run parameter each slot sets
     * @param values    its values, one slot each (JSON-serialisable, no two alike)
     * @return a backfill with one slot per value
     */
    public static Backfill values(Dag dag, String parameter, List<?> values) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(values, "values");
        if (parameter.isBlank()) {
            throw new IllegalArgumentException("The parameter name of a backfill must not be blank");
        }
        List<SlotRun> slots = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Object value : values) {
            String label = label(String.valueOf(value));
            if (!labels.add(label)) {
                throw new IllegalArgumentException("The values of a backfill must differ; '" + label + "' is there twice");
            }
            slots.add(new SlotRun(label, Collections.singletonMap(parameter, value)));
        }
        return of(dag, slots);
    }

    /**
     * @param schedule a schedule of a DAG, made with its code ({@link Schedule#dag(String, Dag)})
     * @param from     slots after this time...
     * @param to       ...and at or before this one
     * @return a backfill with one slot per slot of the schedule in the range, each run getting the same parameters
     *         a scheduled run of the slot gets ({@value Slot#SLOT}, {@value Slot#DAY}, {@value Slot#SCHEDULE}), so that
     *         the two reuse each other's results
     */
    public static Backfill slots(Schedule schedule, Instant from, Instant to) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Dag dag = schedule.dag().orElseThrow(() -> new IllegalArgumentException("Schedule '" + schedule.name()
                + "' starts " + schedule.describeTarget() + " without its code: backfill a schedule made with"
                + " Schedule.dag(name, dag)"));
        if (schedule.timing() == null) {
            throw new IllegalArgumentException("Schedule '" + schedule.name() + "' has no timing");
        }
        List<Instant> times = schedule.timing().slotsBetween(from, to, schedule.zone(), MAX_SLOTS + 1);
        List<SlotRun> slots = new ArrayList<>(times.size());
        for (Instant time : times) {
            Slot slot = new Slot(schedule.name(), time, schedule.zone().getId());
            Map<String, Object> values = new LinkedHashMap<>(schedule.parameters());
            values.putAll(slot.parameters());
            slots.add(new SlotRun(String.valueOf(slot.parameters().get(Slot.SLOT)), values));
        }
        return of(dag, slots);
    }

    private static String label(String text) {
        return text.length() > MAX_LABEL_LENGTH ? text.substring(0, MAX_LABEL_LENGTH - 1) + "…" : text;
    }

    /** @param slots how many slot runs may run at once, across every worker of the store: 1 to {@value #MAX_CONCURRENCY} */
    public Backfill concurrency(int slots) {
        if (slots < 1 || slots > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("A backfill's concurrency must be between 1 and " + MAX_CONCURRENCY
                    + ", was " + slots);
        }
        return new Backfill(dag, this.slots, slots, reuseResults, parameters);
    }

    /** @param reuse whether tasks whose inputs did not change reuse earlier results (the default: yes) */
    public Backfill reuseResults(boolean reuse) {
        return new Backfill(dag, slots, concurrency, reuse, parameters);
    }

    /** @return this backfill with one more run parameter that every slot's run gets (a slot's own ones win) */
    public Backfill parameter(String key, Object value) {
        Objects.requireNonNull(key, "parameter name");
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(key, value);
        return new Backfill(dag, slots, concurrency, reuseResults, Collections.unmodifiableMap(copy));
    }

    public Dag dag() {
        return dag;
    }

    /** @return the slots, in order */
    public List<SlotRun> slots() {
        return slots;
    }

    public int concurrency() {
        return concurrency;
    }

    public boolean reuseResults() {
        return reuseResults;
    }

    /** @return the run parameters every slot's run gets */
    public Map<String, Object> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "Backfill of " + dag.name() + ": " + slots.size() + " slots (" + slots.get(0).label()
                + (slots.size() > 1 ? " … " + slots.get(slots.size() - 1).label() : "") + "), " + concurrency
                + " at once" + (reuseResults ? ", reusing results" : "");
    }
}
