package io.queuack.benchmarks;

/** One queue implementation under test, driven through the same three workloads. */
interface Workload extends AutoCloseable {

    /** Enqueues {@code count} no-op jobs one call each. */
    void enqueueSingle(int count) throws Exception;

    /** Enqueues {@code count} no-op jobs in one batch call. */
    void enqueueBatch(int count) throws Exception;

    /** Starts {@code workers} workers on what is enqueued. @return jobs finished when {@code maxSeconds} passed or all were done */
    long runUntilDone(int workers, long jobs, double maxSeconds) throws Exception;

    @Override
    void close() throws Exception;
}
