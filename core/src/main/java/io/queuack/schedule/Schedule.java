package io.queuack.schedule;

import io.queuack.dag.Dag;
import io.queuack.job.JobOptions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A recurring schedule: a name, when it fires ({@link Timing}), in which time zone, what each firing starts
 * (a job of a named task, or a run of a DAG) and what happens to slots missed while nothing ran
 * ({@link MissedSlots}). Immutable; every method validates its input and returns a copy.
 *
 * <pre>{@code
 * Schedule.task("morning-report", "report").cron("0 6 * * MON-FRI").zone("Europe/Paris")
 * Schedule.dag("daily-etl", etl).cron(CronFlavor.QUARTZ, "0 30 2 * * ?").missed(MissedSlots.catchUp(7))
 * Schedule.task("poll", "poll-feed").every(Duration.ofMinutes(5))
 * }</pre>
 *
 * <p>Each slot fires once, however many processes share the store: the job or run it starts carries the key
 * {@code schedule:<name>@<slot time>}.
 */
public final class Schedule {

    /** Longest schedule name. */
    public static final int MAX_NAME_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1," + MAX_NAME_LENGTH + "}");

    /** What a firing starts. */
    public enum Kind {
        /** A job of a named task. */
        TASK,
        /** A run of a DAG. */
        DAG
    }

    private final String name;
    private final Kind kind;
    private final String target;
    private final Dag dag;
    private final Timing timing;
    private final ZoneId zone;
    private final Object argument;
    private final JobOptions options;
    private final Map<String, Object> parameters;
    private final boolean reuseResults;
    private final MissedSlots missed;

    private Schedule(String name, Kind kind, String target, Dag dag, Timing timing, ZoneId zone, Object argument,
                     JobOptions options, Map<String, Object> parameters, boolean reuseResults, MissedSlots missed) {
        this.name = name;
        this.kind = kind;
        this.target = target;
        this.dag = dag;
        this.timing = timing;
        this.zone = zone;
        this.argument = argument;
        this.options = options;
        this.parameters = parameters;
        this.reuseResults = reuseResults;
        this.missed = missed;
    }

    /**
     * @param name the schedule's name: 1-100 letters, digits or {@code _ . : / -}
     * @param task the registered task each firing enqueues a job of
     * @return a schedule without timing yet (name one with {@link #cron} or {@link #every}), in this JVM's zone
     */
    public static Schedule task(String name, String task) {
        Objects.requireNonNull(task, "task");
        if (task.isBlank()) {
            throw new IllegalArgumentException("A scheduled task's name must not be blank");
        }
        return new Schedule(checkName(name), Kind.TASK, task, null, null, ZoneId.systemDefault(), null,
                JobOptions.defaults(), Map.of(), false, MissedSlots.latest());
    }

    /** @return a schedule that starts a run of {@code dag} at each slot (registering it where it is saved) */
    public static Schedule dag(String name, Dag dag) {
        Objects.requireNonNull(dag, "dag");
        return new Schedule(checkName(name), Kind.DAG, dag.name(), dag, null, ZoneId.systemDefault(), null,
                JobOptions.defaults(), Map.of(), false, MissedSlots.latest());
    }

    /**
     * A schedule of the DAG named {@code dag}, whose code is registered elsewhere: its slots fire in the
     * processes that register that DAG.
     */
    public static Schedule dag(String name, String dag) {
        Objects.requireNonNull(dag, "dag");
        return new Schedule(checkName(name), Kind.DAG, dag, null, null, ZoneId.systemDefault(), null,
                JobOptions.defaults(), Map.of(), false, MissedSlots.latest());
    }

    /** @return {@code name} if it is a valid schedule name; else an error naming the rule */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "schedule name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A schedule name must be 1-" + MAX_NAME_LENGTH
                    + " letters, digits or _ . : / -, was '" + name + "'");
        }
        return name;
    }

    /** @return this schedule firing at {@code timing} */
    public Schedule timing(Timing timing) {
        return new Schedule(name, kind, target, dag, Objects.requireNonNull(timing, "timing"), zone, argument, options,
                parameters, reuseResults, missed);
    }

    /** @return this schedule firing when the Unix cron {@code expression} matches; see {@link Timing#cron(String)} */
    public Schedule cron(String expression) {
        return timing(Timing.cron(expression));
    }

    /** @return this schedule firing when {@code expression}, in {@code flavor}, matches */
    public Schedule cron(CronFlavor flavor, String expression) {
        return timing(Timing.cron(flavor, expression));
    }

    /** @return this schedule firing every {@code interval}; see {@link Timing#every(Duration)} */
    public Schedule every(Duration interval) {
        return timing(Timing.every(interval));
    }

    /** @return this schedule reading its cron's wall-clock times in {@code zone} */
    public Schedule zone(ZoneId zone) {
        return new Schedule(name, kind, target, dag, timing, Objects.requireNonNull(zone, "zone"), argument, options,
                parameters, reuseResults, missed);
    }

    /** @return this schedule in the zone with id {@code zone}, e.g. {@code "Europe/Paris"} or {@code "UTC"} */
    public Schedule zone(String zone) {
        Objects.requireNonNull(zone, "zone");
        try {
            return zone(ZoneId.of(zone));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone '" + zone + "': use a region id such as"
                    + " Europe/Paris, America/New_York or UTC", e);
        }
    }

    /** @return this schedule with the policy for missed slots (default {@link MissedSlots#latest()}) */
    public Schedule missed(MissedSlots policy) {
        return new Schedule(name, kind, target, dag, timing, zone, argument, options, parameters, reuseResults,
                Objects.requireNonNull(policy, "missed-slot policy"));
    }

    /**
     * @param value the argument of every job (JSON-serialisable), instead of the {@link Slot}
     * @return this task schedule with a fixed argument
     */
    public Schedule argument(Object value) {
        requireKind(Kind.TASK, "an argument");
        return new Schedule(name, kind, target, dag, timing, zone, value, options, parameters, reuseResults, missed);
    }

    /**
     * @param jobOptions queue, priority, attempts, backoff, timeout and time-to-live of every job; a delay, run-at
     *                   time or idempotency key is refused (the schedule sets each job's time and key)
     * @return this task schedule with these job options
     */
    public Schedule options(JobOptions jobOptions) {
        requireKind(Kind.TASK, "job options");
        Objects.requireNonNull(jobOptions, "options");
        if (jobOptions.delay() != null || jobOptions.runAt() != null || jobOptions.idempotencyKey() != null) {
            throw new IllegalArgumentException("A schedule sets the time and idempotency key of each job it starts:"
                    + " give its job options without delay, runAt or idempotencyKey");
        }
        return new Schedule(name, kind, target, dag, timing, zone, argument, jobOptions, parameters, reuseResults,
                missed);
    }

    /** @return this DAG schedule with more run parameters (the slot's parameters are added to them) */
    public Schedule parameters(Map<String, ?> values) {
        requireKind(Kind.DAG, "run parameters");
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        Objects.requireNonNull(values, "parameters").forEach((key, value) ->
                copy.put(Objects.requireNonNull(key, "parameter name"), value));
        return new Schedule(name, kind, target, dag, timing, zone, argument, options,
                Collections.unmodifiableMap(copy), reuseResults, missed);
    }

    /** @return this DAG schedule with one more run parameter */
    public Schedule parameter(String key, Object value) {
        return parameters(Collections.singletonMap(key, value));
    }

    /** @return this DAG schedule, its runs reusing the results of tasks whose inputs did not change */
    public Schedule reuseResults(boolean reuse) {
        requireKind(Kind.DAG, "result reuse");
        return new Schedule(name, kind, target, dag, timing, zone, argument, options, parameters, reuse, missed);
    }

    private void requireKind(Kind wanted, String what) {
        if (kind != wanted) {
            throw new IllegalArgumentException("Schedule '" + name + "' starts " + describeTarget() + ": "
                    + what + " belong" + (what.endsWith("s") ? "" : "s") + " to a schedule of a "
                    + wanted.name().toLowerCase(Locale.ROOT));
        }
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** @return the task's or DAG's name */
    public String target() {
        return target;
    }

    /** @return the DAG's code, when the schedule was made with it in this process */
    public Optional<Dag> dag() {
        return Optional.ofNullable(dag);
    }

    /** @return the timing; null until one is given */
    public Timing timing() {
        return timing;
    }

    public ZoneId zone() {
        return zone;
    }

    /** @return the fixed argument of each job, or null: each job then gets its {@link Slot} */
    public Object argument() {
        return argument;
    }

    public JobOptions options() {
        return options;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public boolean reuseResults() {
        return reuseResults;
    }

    public MissedSlots missed() {
        return missed;
    }

    /** @return what a firing starts, e.g. {@code "task 'report'"} or {@code "DAG 'etl'"} */
    public String describeTarget() {
        return (kind == Kind.TASK ? "task '" : "DAG '") + target + "'";
    }

    @Override
    public String toString() {
        return "Schedule " + name + ": " + describeTarget() + ", " + (timing == null ? "no timing yet" : timing.describe())
                + " in " + zone + ", missed slots " + missed;
    }
}
