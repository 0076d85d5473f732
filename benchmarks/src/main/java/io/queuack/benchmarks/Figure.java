package io.queuack.benchmarks;

import java.util.Arrays;

/**
 * One measured figure, with the peer's value for the same workload when a peer ran.
 *
 * @param name      what was measured, e.g. {@code "duckdb-file end-to-end 8 workers"}
 * @param value     the measured value
 * @param unit      its unit, e.g. {@code "jobs/s"}
 * @param peer      the peer's name, or null
 * @param peerValue the peer's value, or null
 */
record Figure(String name, double value, String unit, String peer, Double peerValue) {

    static Figure of(String name, double value, String unit) {
        return new Figure(name, value, unit, null, null);
    }

    Figure withPeer(String peerName, double peerResult) {
        return new Figure(name, value, unit, peerName, peerResult);
    }

    /** @return the middle value (the upper middle for an even count) */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** @return value divided by the peer's, or null without a peer */
    Double ratio() {
        return peerValue == null || peerValue == 0 ? null : value / peerValue;
    }
}
