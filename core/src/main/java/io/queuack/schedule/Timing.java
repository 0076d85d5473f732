package io.queuack.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.queuack.job.Limits;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: at the wall-clock times a cron expression matches in the schedule's zone, or every
 * fixed interval of real time. Immutable.
 *
 * <p>Cron slots are wall-clock times, so daylight-saving changes behave as a calendar user expects: a time the
 * clocks skip (02:30 on a spring-forward night) fires once, shifted by the length of the gap (at 03:30); a time
 * the clocks repeat (01:30 on a fall-back night) fires once, at its first occurrence. A schedule that must fire
 * every real hour through a repeated hour uses {@link #every(Duration)} instead.
 */
public abstract sealed class Timing permits Timing.CronTiming, Timing.IntervalTiming {

    /** The shortest interval: one second. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** Cron matches looked at for one slot at most (a repeated hour of a per-second Quartz cron is 3,600). */
    private static final int MAX_STEPS = 10_000;

    private Timing() {
    }

    /** @return the wall-clock times a Unix cron expression (five fields) matches; see {@link CronFlavor#UNIX} */
    public static Timing cron(String expression) {
        return cron(CronFlavor.UNIX, expression);
    }

    /**
     * @return the wall-clock times {@code expression}, written in {@code flavor}, matches
     * @throws IllegalArgumentException if the expression is not valid in that flavour (the message says why and
     *                                  what the flavour's fields are)
     */
    public static Timing cron(CronFlavor flavor, String expression) {
        return new CronTiming(Objects.requireNonNull(flavor, "flavor"), Objects.requireNonNull(expression, "expression"));
    }

    /** @return every {@code interval} of real time, counted from the Unix epoch (every 15 minutes: :00, :15, ...) */
    public static Timing every(Duration interval) {
        return every(interval, Instant.EPOCH);
    }

    /**
     * @param interval at least {@link #MIN_INTERVAL}, at most {@link Limits#MAX_DURATION}
     * @param anchor   one of the slots; the others lie whole intervals before and after it
     * @return every {@code interval} of real time, in step with {@code anchor}
     */
    public static Timing every(Duration interval, Instant anchor) {
        Limits.storablePositive("interval", interval);
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("A schedule's interval must be at least 1 second, was " + interval);
        }
        return new IntervalTiming(interval, Limits.storable("anchor", anchor));
    }

    /** @return the first slot strictly after {@code after}, wall-clock times read in {@code zone}; empty if none */
    public abstract Optional<Instant> nextAfter(Instant after, ZoneId zone);

    /** @return the last slot at or before {@code time}, wall-clock times read in {@code zone}; empty if none */
    public abstract Optional<Instant> lastAtOrBefore(Instant time, ZoneId zone);

    /**
     * @return the slots after {@code after} and at or before {@code until}, oldest first: the latest {@code max}
     *         of them when there are more
     */
    public List<Instant> slotsBetween(Instant after, Instant until, ZoneId zone, int max) {
        ArrayDeque<Instant> slots = new ArrayDeque<>();
        Optional<Instant> slot = lastAtOrBefore(until, zone);
        while (slot.isPresent() && slot.get().isAfter(after) && slots.size() < max) {
            slots.addFirst(slot.get());
            slot = lastAtOrBefore(slot.get().minusNanos(1), zone);
        }
        return List.copyOf(slots);
    }

    /** @return the expression or interval as written, e.g. {@code "30 2 * * *"} or {@code "PT15M"} */
    public abstract String expression();

    /** @return the cron flavour, or null for an interval */
    public CronFlavor flavor() {
        return null;
    }

    /** @return the interval, or null for a cron expression */
    public Duration interval() {
        return null;
    }

    /** @return the interval's anchor, or null for a cron expression */
    public Instant anchor() {
        return null;
    }

    /** @return what kind of timing this is: {@code "unix cron"}, {@code "quartz cron"}, {@code "spring cron"}, {@code "every"} */
    public abstract String kind();

    /** @return the timing in words, e.g. {@code "unix cron 30 2 * * * (at 02:30)"} or {@code "every 15m"} */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    /** Times a cron expression matches, read as wall-clock times. */
    static final class CronTiming extends Timing {
        private final CronFlavor flavor;
        private final String expression;
        private final Cron cron;
        private final ExecutionTime execution;

        private CronTiming(CronFlavor flavor, String expression) {
            this.flavor = flavor;
            this.expression = expression.strip();
            try {
                cron = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(flavor.type())).parse(this.expression)
                        .validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Not a valid " + flavor.name().toLowerCase(Locale.ROOT) + " cron"
                        + " expression: '" + expression + "' (" + e.getMessage() + "). Its fields: " + flavor.fields(), e);
            }
            execution = ExecutionTime.forCron(cron);
        }

        @Override
        public CronFlavor flavor() {
            return flavor;
        }

        /**
         * Matches are found on local date-times (read in UTC, which has no daylight saving, so cron-utils
         * sees a plain calendar) and each is then placed in {@code zone}: a time in a gap moves forward by the
         * gap, a time in an overlap takes its earlier offset, and a slot not after {@code after} is passed over.
         */
        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
            ZonedDateTime cursor = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
            for (int step = 0; step < MAX_STEPS; step++) {
                Optional<ZonedDateTime> match = execution.nextExecution(cursor);
                if (match.isEmpty()) {
                    return Optional.empty();
                }
                Instant slot = ZonedDateTime.ofLocal(match.get().toLocalDateTime(), zone, null).toInstant();
                if (slot.isAfter(after)) {
                    return slot.isAfter(Limits.LATEST_TIME) ? Optional.empty() : Optional.of(slot);
                }
                cursor = match.get();
            }
            throw new IllegalStateException("No slot of cron '" + expression + "' found after " + after + " within "
                    + MAX_STEPS + " matches");
        }

        @Override
        public Optional<Instant> lastAtOrBefore(Instant time, ZoneId zone) {
            ZonedDateTime cursor = LocalDateTime.ofInstant(time, zone).atZone(ZoneOffset.UTC).plusNanos(1);
            for (int step = 0; step < MAX_STEPS; step++) {
                Optional<ZonedDateTime> match = execution.lastExecution(cursor);
                if (match.isEmpty()) {
                    return Optional.empty();
                }
                Instant slot = ZonedDateTime.ofLocal(match.get().toLocalDateTime(), zone, null).toInstant();
                if (!slot.isAfter(time)) {
                    return Optional.of(slot);
                }
                cursor = match.get();
            }
            throw new IllegalStateException("No slot of cron '" + expression + "' found before " + time + " within "
                    + MAX_STEPS + " matches");
        }

        @Override
        public String expression() {
            return expression;
        }

        @Override
        public String kind() {
            return flavor.name().toLowerCase(Locale.ROOT) + " cron";
        }

        @Override
        public String describe() {
            String words;
            try {
                words = CronDescriptor.instance(Locale.UK).describe(cron);
            } catch (RuntimeException e) {
                words = null;       // the description is a courtesy; some expressions have none
            }
            return kind() + " " + expression + (words == null || words.isBlank() ? "" : " (" + words + ")");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof CronTiming that && flavor == that.flavor && expression.equals(that.expression);
        }

        @Override
        public int hashCode() {
            return Objects.hash(flavor, expression);
        }
    }

    /** Every fixed interval of real time, in step with an anchor. */
    static final class IntervalTiming extends Timing {
        private final Duration interval;
        private final Instant anchor;

        private IntervalTiming(Duration interval, Instant anchor) {
            this.interval = interval;
            this.anchor = anchor;
        }

        @Override
        public Duration interval() {
            return interval;
        }

        @Override
        public Instant anchor() {
            return anchor;
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
            Instant next = floor(after).plus(interval);
            return next.isAfter(Limits.LATEST_TIME) ? Optional.empty() : Optional.of(next);
        }

        @Override
        public Optional<Instant> lastAtOrBefore(Instant time, ZoneId zone) {
            return Optional.of(floor(time));
        }

        /** @return the last slot at or before {@code time} */
        private Instant floor(Instant time) {
            Duration offset = Duration.between(anchor, time);
            long steps = offset.dividedBy(interval);
            if (offset.isNegative() && !interval.multipliedBy(steps).equals(offset)) {
                steps--;
            }
            return anchor.plus(interval.multipliedBy(steps));
        }

        @Override
        public String expression() {
            return interval.toString();
        }

        @Override
        public String kind() {
            return "every";
        }

        @Override
        public String describe() {
            String text = interval.toString().substring(2).toLowerCase(Locale.ROOT);
            return "every " + text + (anchor.equals(Instant.EPOCH) ? "" : " from " + anchor);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IntervalTiming that && interval.equals(that.interval) && anchor.equals(that.anchor);
        }

        @Override
        public int hashCode() {
            return Objects.hash(interval, anchor);
        }
    }
}
