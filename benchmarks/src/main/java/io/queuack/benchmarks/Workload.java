package io.queuack.benchmarks;

/** One queue implementation under test, driven through the same workloads. */
interface Workload extends AutoCloseable {

    /** Enqueues {@code count} no-op jobs one call each. */
    void enqueueSingle(int count) throws Exception;

    /** Enqueues {@code count} no-op jobs one call each, from {@code threads} threads at once. */
    default void enqueueSingle(int count, int threads) throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Object>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                done.add(callers.submit(() -> {
                    enqueueSingle(share);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Object> caller : done) {
                caller.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** Enqueues {@code count} no-op jobs in one batch call. */
    void enqueueBatch(int count) throws Exception;

    /** Starts {@code workers} workers on what is enqueued. @return jobs finished when {@code maxSeconds} passed or all were done */
    long runUntilDone(int workers, long jobs, double maxSeconds) throws Exception;

    @Override
    void close() throws Exception;
}
