package io.queuack.examples;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.event.Subscription;
import io.queuack.job.JobStatus;
import io.queuack.job.QueueStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The terminal demo: enqueue a large batch of durable jobs into a DuckDB file, run them with a worker
 * pool while a progress bar moves, print the stats; then run a small ETL DAG ({@link DailySales}) on the
 * same file and draw it. Run it twice: the file keeps every job, and the DAG reuses its results.
 */
@Command(name = "queue-demo", mixinStandardHelpOptions = true,
        description = "Enqueues a batch of jobs into a DuckDB queue file, runs them with a worker pool, then runs"
                + " a small ETL DAG on the same file.")
public final class QueueDemo implements Callable<Integer> {

    @Option(names = "--file", description = "queue file (default: ${DEFAULT-VALUE})")
    Path file = Path.of("queuack-demo.duckdb");

    @Option(names = "--jobs", description = "jobs to enqueue (default: ${DEFAULT-VALUE})")
    int jobs = 1_000_000;

    @Option(names = "--workers", description = "worker threads (default: ${DEFAULT-VALUE})")
    int workers = 4;

    @Option(names = "--day", description = "the day the ETL pipeline processes (default: today)")
    String day = LocalDate.now().toString();

    @Option(names = "--orders", description = "orders per region in the ETL pipeline (default: ${DEFAULT-VALUE})")
    int orders = 500_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueueDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1 || workers < 1 || orders < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--jobs, --workers and --orders must be at least 1");
        }
        if (!day.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--day must be letters, digits, '-' or '_' (it names the report file), was '" + day + "'");
        }
        boolean existed = Files.exists(file);
        try (Queuack queue = Queuack.open(file)) {
            printHeader(queue, existed);
            queue.register("checksum", Integer.class, (ctx, n) -> {
                CRC32 crc = new CRC32();
                crc.update(Integer.toString(n).getBytes());
                return crc.getValue();
            });

            long start = System.nanoTime();
            queue.enqueueAll("checksum", new RangeList(jobs));
            double enqueueSeconds = seconds(start);
            System.out.printf(Locale.ROOT, "Enqueued %,d jobs in %.2f s (%,.0f jobs/s), committed to %s%n",
                    jobs, enqueueSeconds, jobs / enqueueSeconds, file.getFileName());

            int waiting = Math.toIntExact(queue.stats(queue.defaultQueue()).waiting());
            CountDownLatch finished = new CountDownLatch(waiting);
            start = System.nanoTime();
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Running").setInitialMax(waiting)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().setUnit(" jobs", 1)
                    .build();
                 Subscription ignored = queue.listen(finishedJobs(bar, finished));
                 WorkerPool pool = queue.workers().concurrency(workers).start()) {
                pool.awaitIdle(Duration.ofHours(1));
                finished.await(10, TimeUnit.SECONDS);
            }
            double runSeconds = seconds(start);
            System.out.printf(Locale.ROOT, "Ran %,d jobs with %d workers in %.1f s (%,.0f jobs/s end to end,"
                    + " every outcome committed to disk)%n", waiting, workers, runSeconds, waiting / runSeconds);
            printStats(queue);

            new PipelineDemo(queue, file.toAbsolutePath().getParent()).run(day, orders, workers);
        }
        System.out.println("Run the same command again: the jobs stay in " + file + " and the counts grow,"
                + " and the pipeline reuses its results.");
        return 0;
    }

    /** Moves the bar on every finished job; events arrive on Queuack's event thread, in order. */
    private static JobListener finishedJobs(ProgressBar bar, CountDownLatch finished) {
        return new JobListener() {
            @Override
            public void onStatusChanged(JobEvent event) {
                if (event.to().isTerminal()) {
                    bar.step();
                    finished.countDown();
                }
            }
        };
    }

    private void printHeader(Queuack queue, boolean existed) {
        System.out.println("Queuack demo: a durable job queue in one DuckDB file");
        if (!existed) {
            System.out.println("Queue file: " + file.toAbsolutePath() + " (new)");
            return;
        }
        long stored = queue.stats().stream().mapToLong(QueueStats::total).sum();
        System.out.printf(Locale.ROOT, "Queue file: %s (already holds %,d jobs from earlier runs)%n",
                file.toAbsolutePath(), stored);
    }

    private static void printStats(Queuack queue) {
        System.out.printf(Locale.ROOT, "%-10s %10s %10s %12s %10s %10s%n", "queue", "pending", "running",
                "succeeded", "failed", "dead");
        for (QueueStats stats : queue.stats()) {
            System.out.printf(Locale.ROOT, "%-10s %,10d %,10d %,12d %,10d %,10d%n", stats.queue(),
                    stats.count(JobStatus.PENDING), stats.count(JobStatus.RUNNING), stats.count(JobStatus.SUCCEEDED),
                    stats.count(JobStatus.FAILED), stats.count(JobStatus.DEAD));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The numbers 0 to n-1 as a list, without storing them. */
    private static final class RangeList extends java.util.AbstractList<Integer> implements java.util.RandomAccess {
        private final int size;

        RangeList(int size) {
            this.size = size;
        }

        @Override
        public Integer get(int index) {
            return index;
        }

        @Override
        public int size() {
            return size;
        }
    }
}
