package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.storage.postgres.FreshSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits across worker processes sharing one PostgreSQL store: the hosts claim at once, and the running jobs,
 * counted outside the queue from the times each host logged, never exceed a limit.
 */
class LimitsOnPostgresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void stopHosts() throws Exception {
        for (Host host : hosts) {
            host.close();
        }
    }

    /** One logged piece of work: a job's start and end, in microseconds. */
    private record Span(long job, long start, long end) {
    }

    private List<Span> spans() throws Exception {
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
    private static Map<String, Integer> mostAtOnce(List<Span> spans, Function<Span, String> group) {
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

    @Test
    void threeHostsNeverRunMoreThanATaskLimitOrOneJobPerKeyAtOnce() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            queue.limits().set(JobLimit.task("span").maxRunning(3));
            queue.limits().set(JobLimit.key("account-*").maxRunning(1));
            for (int i = 0; i < 3; i++) {
                hosts.add(Host.start(List.of(), schema.url(), dir.resolve("host-" + i + ".log"), 4, 30, 100));
            }
            WorkerHost.register(queue, null);
            Map<Long, String> keys = new HashMap<>();
            queue.enqueueAll("span", Collections.nCopies(60, 25)).forEach(id -> keys.put(id, "span"));
            for (int account = 0; account < 4; account++) {
                String key = "account-" + account;
                queue.enqueueAll("keyed-span", Collections.nCopies(10, 25), JobOptions.defaults().limitKey(key))
                        .forEach(id -> keys.put(id, key));
            }
            Executions.awaitAllSucceeded(queue, keys.size(), Duration.ofMinutes(2));
            List<Span> spans = spans();
            assertEquals(keys.size(), spans.size(), "every job ran once");
            Map<String, Integer> most = mostAtOnce(spans, span -> keys.get(span.job()));
            assertEquals(3, most.get("span"), "the task limit is reached and never passed: " + most);
            for (int account = 0; account < 4; account++) {
                assertEquals(1, most.get("account-" + account), "one job of each account at a time: " + most);
            }
            int overall = mostAtOnce(spans, span -> "all").get("all");
            assertTrue(overall > 3, "accounts ran beside the limited task: " + overall);
            long hostsThatRanSpans = hosts.stream().filter(host -> {
                try {
                    return host.executions().stream().anyMatch(line -> line.startsWith("span "));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).count();
            assertTrue(hostsThatRanSpans >= 2, "the hosts competed for the limited jobs: " + hostsThatRanSpans);
        }
    }
}
