package io.queuack.benchmarks;

import java.time.Duration;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;

/**
 * The peer: JobRunr with its in-memory storage and its shortest allowed poll interval (200 ms). A fresh
 * instance per workload; JobRunr is a JVM-wide singleton, so only one may be open at a time.
 */
public final class JobRunrWorkload implements Workload {

    /** JobRunr's minimum poll interval. */
    static final Duration POLL = Duration.ofMillis(200);

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider();
    private int workers;

    JobRunrWorkload(int workers) {
        this.workers = workers;
        JobRunr.configure()
                .useStorageProvider(storage)
                .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers).andPollInterval(POLL), false)
                .initialize();
    }

    /** The no-op job. JobRunr calls it by reflection, so it must be public and static. */
    public static void noop(int index) {
        // nothing: the benchmark measures the queue, not the job
    }

    @Override
    public void enqueueSingle(int count) {
        for (int i = 0; i < count; i++) {
            int index = i;
            BackgroundJob.enqueue(() -> noop(index));
        }
    }

    @Override
    public void enqueueBatch(int count) {
        BackgroundJob.<Integer>enqueue(IntStream.range(0, count).boxed(), index -> noop(index));
    }

    @Override
    public long runUntilDone(int workerCount, long jobs, double maxSeconds) throws InterruptedException {
        if (workerCount != workers) {
            throw new IllegalStateException("this JobRunr instance was configured for " + workers + " workers");
        }
        JobRunr.getBackgroundJobServer().start();
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long done = 0;
        while (done < jobs && System.nanoTime() < deadline) {
            Thread.sleep(5);
            done = storage.countJobs(StateName.SUCCEEDED);
        }
        return done;
    }

    @Override
    public void close() {
        JobRunr.destroy();
    }
}
