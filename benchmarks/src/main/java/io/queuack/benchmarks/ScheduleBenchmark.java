package io.queuack.benchmarks;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.Timing;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What schedules and limits cost. Idle schedules: a worker pool runs over a store of 10,000 schedules none of which
 * is due, and the CPU the schedule thread and the whole process use is measured against the same pool over a store
 * without schedules (goal: under 1% of one core). Firing: 10,000 schedules due at once, fired by one call. Limits:
 * the queue benchmark's end-to-end no-op jobs with a limit that never binds (the cost of checking it), one per key
 * over 100 keys, a start window that never binds, and a bound as tight as the pool, each beside the same run
 * without a limit in the same process (goal for a limit that does not bind: under 10% fewer jobs/s).
 */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Schedules at idle, firing, and the cost of limits.")
final class ScheduleBenchmark implements Callable<Integer> {

    private static final String BASELINE = "no limit, same run";

    @Option(names = "--schedules", description = "schedules in the store (default: ${DEFAULT-VALUE})")
    int schedules = 10_000;

    @Option(names = "--idle-seconds", description = "how long each idle measurement lasts (default: ${DEFAULT-VALUE})")
    int idleSeconds = 30;

    @Option(names = "--stores", split = ",", description = "stores to measure (default: ${DEFAULT-VALUE})")
    List<String> stores = List.of("duckdb-file", "memory");

    @Option(names = "--workers", description = "worker threads of the limit runs (default: ${DEFAULT-VALUE})")
    int workers = 8;

    @Option(names = "--jobs", description = "no-op jobs per limit run (default: ${DEFAULT-VALUE})")
    int jobs = 200_000;

    @Option(names = "--repeat", description = "runs per limit figure; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--parts", split = ",", description = "what to measure: idle, firing, limits (default: ${DEFAULT-VALUE})")
    List<String> parts = List.of("idle", "firing", "limits");

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    @Override
    public Integer call() throws Exception {
        Report report = new Report("schedules");
        for (String store : stores) {
            if (parts.contains("idle")) {
                idle(store, report);
            }
            if (parts.contains("firing")) {
                firing(store, report);
            }
        }
        for (String store : stores) {
            if (parts.contains("limits")) {
                limits(store, report);
            }
        }
        report.write(results);
        return 0;
    }


    /** Saves {@link #schedules} daily schedules, half cron and half interval, none due in the next hours. */
    private void saveSchedules(Queuack queue, Instant now) {
        int hour = now.atZone(ZoneOffset.UTC).plusHours(6).getHour();
        for (int i = 0; i < schedules; i++) {
            Schedule schedule = Schedule.task("s" + i, "noop").zone("UTC");
            queue.schedules().save(i % 2 == 0 ? schedule.cron((i % 60) + " " + hour + " * * *")
                    : schedule.timing(Timing.every(Duration.ofDays(1), now.plus(Duration.ofHours(6)).plusSeconds(i))));
        }
    }

    private void idle(String store, Report report) throws Exception {
        double without = measureIdle(store, queue -> { })[0];
        double[] with = measureIdle(store, queue -> saveSchedules(queue, Instant.now()));
        report.add(Figure.of(store + " idle, " + schedules + " schedules: process", with[0], "µs CPU/s")
                .withPeer("no schedules", without));
        report.add(Figure.of(store + " idle, " + schedules + " schedules: schedule thread", with[1], "µs CPU/s"));
        report.add(Figure.of(store + " idle, " + schedules + " schedules: extra CPU", Math.max(0, with[0] - without)
                / 1_000.0, "‰ of a core"));
    }

    /** @return CPU microseconds per second of the process and of the schedule thread, with a pool running idle */
    private double[] measureIdle(String store, Consumer<Queuack> setUp) throws Exception {
        Path folder = Files.createTempDirectory("queuack-bench");
        try (Queuack queue = NoOpRun.open(store, folder)) {
            queue.register("noop", ctx -> null);
            setUp.accept(queue);
            try (WorkerPool pool = queue.workers().concurrency(2).start()) {
                Thread.sleep(3_000);                    // the pool and the schedule thread settle
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
                long processBefore = os.getProcessCpuTime();
                long tickerBefore = tickerCpu();
                long start = System.nanoTime();
                Thread.sleep(idleSeconds * 1000L);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new double[] {(os.getProcessCpuTime() - processBefore) / 1e3 / seconds,
                    (tickerCpu() - tickerBefore) / 1e3 / seconds};
            }
        } finally {
            NoOpRun.delete(folder);
        }
    }

    /** @return the CPU nanoseconds the schedule thread has used, or 0 if it does not run */
    private static long tickerCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().equals("queuack-schedules")) {
                return Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return 0;
    }

    /** 10,000 schedules due at once: how fast one call fires them (each slot a job, each schedule guarded). */
    private void firing(String store, Report report) throws Exception {
        Path folder = Files.createTempDirectory("queuack-bench");
        MovableClock clock = new MovableClock(Instant.parse("2026-06-01T00:00:00Z"));
        try (Queuack queue = "memory".equals(store) ? Queuack.builder().inMemory().clock(clock).open()
                : Queuack.builder().duckdb(folder.resolve("bench.duckdb")).clock(clock).open()) {
            queue.register("noop", ctx -> null);
            for (int i = 0; i < schedules; i++) {
                queue.schedules().save(Schedule.task("s" + i, "noop").every(Duration.ofHours(1)));
            }
            clock.advance(Duration.ofHours(1));
            long start = System.nanoTime();
            int fired = queue.schedules().fireDue();
            report.add(Figure.of(store + " fire " + fired + " due schedules", fired / ((System.nanoTime() - start) / 1e9),
                    "slots/s"));
        } finally {
            NoOpRun.delete(folder);
        }
    }

    private void limits(String store, Report report) throws Exception {
        int keys = 100;
        List<LimitCase> cases = List.of(
                new LimitCase("queue limit 100,000 (never binds)", queue -> queue.limits().set(
                        JobLimit.queue("default").maxRunning(100_000)), JobOptions.defaults(), jobs),
                new LimitCase("start window 1M per 10 s (never binds)", queue -> queue.limits().set(
                        JobLimit.queue("default").maxStarts(1_000_000, Duration.ofSeconds(10))), JobOptions.defaults(),
                        jobs),
                new LimitCase("one per key, " + keys + " keys, " + jobs / 10 + " jobs", queue -> queue.limits().set(
                        JobLimit.key("k-*").maxRunning(1)), null, jobs / 10),
                new LimitCase("queue limit = " + workers + " workers (binds), " + jobs / 20 + " jobs", queue -> queue
                        .limits().set(JobLimit.queue("default").maxRunning(workers)), JobOptions.defaults(), jobs / 20));
        for (LimitCase limit : cases) {
            List<Double> ratios = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            List<Double> baselines = new ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                double base = NoOpRun.jobsPerSecond(store, workers, queue -> { }, limit.options(), keys, limit.jobs());
                double limited = NoOpRun.jobsPerSecond(store, workers, limit.setUp(), limit.options(), keys, limit.jobs());
                baselines.add(base);
                rates.add(limited);
                ratios.add(limited / base);
            }
            Collections.sort(ratios);
            Collections.sort(rates);
            Collections.sort(baselines);
            report.add(Figure.of(store + " " + limit.name(), rates.get(rates.size() / 2), "jobs/s")
                    .withPeer(BASELINE, baselines.get(baselines.size() / 2)));
            report.add(Figure.of(store + " " + limit.name() + ": kept", ratios.get(ratios.size() / 2) * 100,
                    "% of base"));
        }
    }

    /**
     * One limit workload.
     *
     * @param options the jobs' options, or null: each job gets one of the keys {@code k-0 ... k-99}
     * @param jobs    how many no-op jobs each run takes
     */
    private record LimitCase(String name, Consumer<Queuack> setUp, JobOptions options, int jobs) {
    }


    /** A clock the benchmark moves by hand, to make schedules due without waiting. */
    private static final class MovableClock extends java.time.Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
