package io.queuack.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a schedule does with slots that passed while nothing fired it (every process was stopped, the laptop
 * slept): {@linkplain #skip() skip} them, fire the {@linkplain #latest() latest} once, or
 * {@linkplain #catchUp(int) catch up} every one of them, up to a cap. A slot fired within {@link #ON_TIME} of
 * its time is on time, never missed. Immutable.
 */
public final class MissedSlots {

    /** How late a slot may fire and still count as on time. */
    public static final Duration ON_TIME = Duration.ofMinutes(1);
    /** The largest catch-up cap. */
    public static final int MAX_CAP = 10_000;

    /** The three policies. */
    public enum Policy {
        /** Missed slots do not fire; the schedule goes on with its next slot. */
        SKIP,
        /** Of the missed slots, the latest fires once (the default: a daily report after a weekend off runs once). */
        LATEST,
        /** Every missed slot fires, oldest first; beyond the cap, only the latest {@code cap} do. */
        CATCH_UP
    }

    private static final MissedSlots SKIP = new MissedSlots(Policy.SKIP, 0);
    private static final MissedSlots LATEST = new MissedSlots(Policy.LATEST, 1);

    private final Policy policy;
    private final int cap;

    private MissedSlots(Policy policy, int cap) {
        this.policy = policy;
        this.cap = cap;
    }

    /** @return missed slots do not fire */
    public static MissedSlots skip() {
        return SKIP;
    }

    /** @return the latest missed slot fires once */
    public static MissedSlots latest() {
        return LATEST;
    }

    /** @param cap at most this many missed slots fire (the latest ones), 1 to {@value #MAX_CAP} */
    public static MissedSlots catchUp(int cap) {
        if (cap < 1 || cap > MAX_CAP) {
            throw new IllegalArgumentException("A catch-up cap must be between 1 and " + MAX_CAP + ", was " + cap);
        }
        return new MissedSlots(Policy.CATCH_UP, cap);
    }

    /** @return the policy named {@code text}: {@code skip}, {@code latest} or {@code catch-up:<cap>} */
    public static MissedSlots parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("skip")) {
            return skip();
        }
        if (value.equals("latest")) {
            return latest();
        }
        if (value.startsWith("catch-up:")) {
            try {
                return catchUp(Integer.parseInt(value.substring("catch-up:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("A catch-up cap must be a whole number: '" + text + "'", e);
            }
        }
        throw new IllegalArgumentException("Unknown missed-slot policy '" + text
                + "': use skip, latest or catch-up:<cap> (e.g. catch-up:31)");
    }

    public Policy policy() {
        return policy;
    }

    /** @return the catch-up cap (1 for {@code latest}, 0 for {@code skip}) */
    public int cap() {
        return cap;
    }

    /**
     * Chooses which of the due slots fire at {@code now}.
     *
     * @param due the slots at or before {@code now} that have not fired, oldest first
     * @return the slots to fire, oldest first
     */
    public List<Instant> choose(List<Instant> due, Instant now) {
        List<Instant> onTime = new ArrayList<>();
        List<Instant> missed = new ArrayList<>();
        for (Instant slot : due) {
            (Duration.between(slot, now).compareTo(ON_TIME) <= 0 ? onTime : missed).add(slot);
        }
        List<Instant> fired = new ArrayList<>(switch (policy) {
            case SKIP -> List.<Instant>of();
            case LATEST -> missed.isEmpty() || !onTime.isEmpty() ? List.<Instant>of() : missed.subList(missed.size() - 1,
                    missed.size());
            case CATCH_UP -> missed.subList(Math.max(0, missed.size() - cap), missed.size());
        });
        fired.addAll(onTime);
        return fired;
    }

    /** @return the policy as {@link #parse} reads it: {@code skip}, {@code latest}, {@code catch-up:31} */
    @Override
    public String toString() {
        return policy == Policy.CATCH_UP ? "catch-up:" + cap : policy.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MissedSlots that && policy == that.policy && cap == that.cap;
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, cap);
    }
}
