package io.queuack.event;

import java.time.Duration;
import java.time.Instant;

/**
 * This process made one round trip to storage: one transaction that stored, claimed or enqueued jobs.
 *
 * @param kind what the round trip did: {@link #CYCLE} or {@link #ENQUEUE}
 * @param took how long it took, from the call to its commit
 * @param jobs jobs it stored outcomes of, claimed or enqueued
 * @param at   when it started
 */
public record RoundTripEvent(String kind, Duration took, int jobs, Instant at) {

    /** A worker pool's turn: outcomes stored, jobs claimed, leases renewed, in one transaction. */
    public static final String CYCLE = "cycle";
    /** Jobs enqueued (one call, however many jobs). */
    public static final String ENQUEUE = "enqueue";
}
