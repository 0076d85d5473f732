package io.queuack.postgres;

import io.queuack.Queuack;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads the hosts' execution logs: which job or DAG task ran how often, and when each run of a job started. */
final class Executions {

    private Executions() {
    }

    /** @return how often each job ({@code run <id>}) or DAG task ({@code dag <run> <task>}) ran, over every host */
    static Map<String, Integer> count(List<Host> hosts) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Host host : hosts) {
            for (String line : host.executions()) {
                counts.merge(key(line), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** @return the latest start (epoch microseconds) of every job's runs, by job id */
    static Map<Long, Long> lastStarts(List<Host> hosts) throws IOException {
        Map<Long, Long> starts = new HashMap<>();
        for (Host host : hosts) {
            for (String line : host.executions()) {
                if (line.startsWith("run ")) {
                    String[] parts = line.split(" ");
                    starts.merge(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Math::max);
                }
            }
        }
        return starts;
    }

    private static String key(String line) {
        return line.startsWith("run ") ? line.substring(0, line.lastIndexOf(' ')) : line;
    }

    /** Waits until at least {@code jobs} jobs of the store succeeded, or fails naming some that did not. */
    static void awaitAllSucceeded(Queuack queue, long jobs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long done = queue.stats().stream().mapToLong(s -> s.count(JobStatus.SUCCEEDED)).sum();
            if (done >= jobs) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(done + " of " + jobs + " jobs succeeded; others: "
                        + queue.jobs(JobQuery.all().status(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED,
                        JobStatus.DEAD).limit(5)));
            }
            Thread.sleep(50);
        }
    }

    /** One logged piece of work: a job's start and end, in microseconds. */
    record Span(long job, long start, long end) {
    }

    /** @return the spans the hosts logged ({@code span <id> start|end <micros>}), one per job */
    static List<Span> spans(List<Host> hosts) throws IOException {
        Map<Long, long[]> times = new HashMap<>();
        for (Host host : hosts) {
            for (String line : host.executions()) {
                String[] parts = line.split(" ");
                if (parts[0].equals("span")) {
                    times.computeIfAbsent(Long.parseLong(parts[1]), id -> new long[2])[parts[2].equals("start") ? 0 : 1] =
                            Long.parseLong(parts[3]);
                }
            }
        }
        List<Span> spans = new ArrayList<>();
        times.forEach((job, pair) -> spans.add(new Span(job, pair[0], pair[1])));
        return spans;
    }

    /** @return the most spans of each group (by {@code group}) that overlapped at one moment */
    static Map<String, Integer> mostAtOnce(List<Span> spans, Function<Span, String> group) {
        Map<String, List<long[]>> events = new HashMap<>();
        for (Span span : spans) {
            List<long[]> list = events.computeIfAbsent(group.apply(span), g -> new ArrayList<>());
            list.add(new long[] {span.start(), 1});
            list.add(new long[] {span.end(), -1});
        }
        Map<String, Integer> most = new HashMap<>();
        events.forEach((name, list) -> {
            list.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int now = 0;
            int peak = 0;
            for (long[] event : list) {
                now += (int) event[1];
                peak = Math.max(peak, now);
            }
            most.put(name, peak);
        });
        return most;
    }

}
