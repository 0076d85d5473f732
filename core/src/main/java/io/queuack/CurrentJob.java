package io.queuack;

/** Holds the context of the job running on each worker thread. */
final class CurrentJob {

    private static final ThreadLocal<JobContext> CURRENT = new ThreadLocal<>();

    private CurrentJob() {
    }

    static JobContext get() {
        return CURRENT.get();
    }

    static void set(JobContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }
}
