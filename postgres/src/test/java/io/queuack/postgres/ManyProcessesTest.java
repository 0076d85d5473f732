package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.RunOptions;
import io.queuack.event.JobEvent;
import io.queuack.event.JobListener;
import io.queuack.job.JobLimit;
import io.queuack.job.JobOptions;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.job.WorkerInfo;
import io.queuack.storage.postgres.FreshSchema;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Worker processes sharing one PostgreSQL store: each job runs once, fan-ins join once, a killed host loses nothing. */
class ManyProcessesTest {

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

    private Host host(int number, int leaseSeconds, int pollMillis) throws Exception {
        Host host = Host.start(List.of(), schema.url(), dir.resolve("host-" + number + ".log"), 4, leaseSeconds,
                pollMillis);
        hosts.add(host);
        return host;
    }

    /** @return how often each job or DAG task ran, over every host's log */
    private Map<String, Integer> executions() throws Exception {
        return Executions.count(hosts);
    }

    @Test
    void threeHostsRunEveryJobExactlyOnce() throws Exception {
        int jobs = 3_000;
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            for (int i = 0; i < 3; i++) {
                host(i, 30, 1_000);
            }
            queue.enqueueAll("record", IntStream.range(0, jobs).boxed().collect(Collectors.toList()));
            Executions.awaitAllSucceeded(queue, jobs, Duration.ofMinutes(2));
        }
        Map<String, Integer> counts = executions();
        assertEquals(jobs, counts.size(), "every job ran");
        assertTrue(counts.values().stream().allMatch(n -> n == 1), "no job ran twice: " + twice(counts));
        for (Host host : hosts) {
            assertFalse(host.executions().isEmpty(), "every host took a share");
        }
    }

    @Test
    void twoProcessesFireEachSlotOfAScheduleOnce() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            host(0, 30, 200);
            host(1, 30, 200);
            SlotsOnHosts.everySlotFiresOnce(queue, hosts, 6);
        }
    }

    @Test
    void threeHostsNeverRunMoreThanATaskLimitOrOneJobPerKeyAtOnce() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            queue.limits().set(JobLimit.task("span").maxRunning(3));
            queue.limits().set(JobLimit.key("account-*").maxRunning(1));
            for (int i = 0; i < 3; i++) {
                host(i, 30, 100);
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
            List<Executions.Span> spans = Executions.spans(hosts);
            assertEquals(keys.size(), spans.size(), "every job ran once");
            Map<String, Integer> most = Executions.mostAtOnce(spans, span -> keys.get(span.job()));
            assertEquals(3, most.get("span"), "the task limit is reached and never passed: " + most);
            for (int account = 0; account < 4; account++) {
                assertEquals(1, most.get("account-" + account), "one job of each account at a time: " + most);
            }
            int overall = Executions.mostAtOnce(spans, span -> "all").get("all");
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

    @Test
    void aFanInAcrossHostsJoinsOnceAndTheSubmitterSeesTheRunFinish() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            for (int i = 0; i < 3; i++) {
                host(i, 30, 1_000);
            }
            List<DagRun> runs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                runs.add(queue.submit(WorkerHost.fanIn(null)));
            }
            for (DagRun run : runs) {
                assertEquals(RunStatus.SUCCEEDED, run.await(Duration.ofMinutes(2)), "run " + run.id());
            }
            Map<String, Integer> counts = executions();
            String picture = runs.get(0).toText();
            Set<String> drawnWorkers = new TreeSet<>();
            Matcher on = Pattern.compile(" · on (\\S+)").matcher(picture);
            while (on.find()) {
                drawnWorkers.add(on.group(1));
            }
            Set<String> hostPids = new TreeSet<>();
            for (Host host : hosts) {
                hostPids.add(":" + host.pid());
            }
            assertTrue(drawnWorkers.size() > 1 && drawnWorkers.stream().allMatch(w -> hostPids.stream()
                    .anyMatch(w::endsWith)), "the picture says which host process ran each task: " + drawnWorkers
                    + " of " + hostPids + "\n" + picture);
            for (DagRun run : runs) {
                assertEquals(1, counts.getOrDefault("dag " + run.id() + " join", 0), "the join of run " + run.id());
                for (int i = 0; i < WorkerHost.WIDTH; i++) {
                    assertEquals(1, counts.getOrDefault("dag " + run.id() + " part-" + i, 0));
                }
            }
        }
    }

    /** A cancel from the submitting process ends the run on every host: nothing pending starts, the join never runs. */
    @Test
    void aRunCancelledByItsSubmitterStopsOnEveryHost() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            host(0, 30, 1_000);
            host(1, 30, 1_000);
            DagRun run = queue.submit(WorkerHost.naps(null));
            while (napsLogged(run.id()) == 0) {
                Thread.sleep(10);
            }
            assertTrue(run.cancel());
            assertEquals(RunStatus.CANCELLED, run.await(Duration.ofSeconds(30)));
            for (var task : run.tasks()) {
                assertTrue(task.status() == JobStatus.CANCELLED || task.status() == JobStatus.SUCCEEDED,
                        task.name() + " ended " + task.status());
            }
            assertTrue(queue.await(queue.enqueue("record", 1), Duration.ofSeconds(30)).status() == JobStatus.SUCCEEDED,
                    "the hosts go on with other work");
            Map<String, Integer> counts = executions();
            assertEquals(0, counts.getOrDefault("dag " + run.id() + " last", 0), "the join never ran");
            int ran = napsLogged(run.id());
            assertTrue(ran < WorkerHost.NAPS / 2, "the pending tasks never started: " + ran + " of " + WorkerHost.NAPS
                    + " ran (8 threads, " + WorkerHost.NAP_MILLIS + " ms each)");
            assertTrue(counts.values().stream().allMatch(n -> n == 1), "ran twice: " + twice(counts));
        }
    }

    /**
     * Every host dies mid-run (kill -9); the submitter resumes the run with a pool of its own: tasks that had
     * finished on the dead hosts are not run again, those they were running are, and the run succeeds.
     */
    @Test
    void aRunWhoseHostsAllDiedIsResumedByItsSubmitter() throws Exception {
        Path ownLog = dir.resolve("submitter.log");
        try (Queuack queue = Queuack.open(schema.url()); FileChannel log = FileChannel.open(ownLog,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Host first = host(0, 2, 200);
            Host second = host(1, 2, 200);
            DagRun run = queue.submit(WorkerHost.naps(log));
            while (run.tasks().stream().filter(task -> task.status() == JobStatus.SUCCEEDED).count() < 8) {
                Thread.sleep(20);
            }
            first.kill();
            second.kill();
            Set<String> doneBefore = run.tasks().stream().filter(task -> task.status() == JobStatus.SUCCEEDED)
                    .map(task -> task.name()).collect(Collectors.toCollection(TreeSet::new));
            DagRun resumed = queue.resume(WorkerHost.naps(log), run.id());
            assertEquals(RunStatus.SUCCEEDED, resumed.status());
            List<String> ranHere = Files.readAllLines(ownLog);
            for (String task : doneBefore) {
                assertFalse(ranHere.contains("dag " + run.id() + " " + task), task + " had finished and ran again");
            }
            assertEquals(1, Collections.frequency(ranHere, "dag " + run.id() + " last"), "the join ran here, once");
            Map<String, Integer> counts = executions();
            ranHere.forEach(line -> counts.merge(line, 1, Integer::sum));
            for (int i = 0; i < WorkerHost.NAPS; i++) {
                assertTrue(counts.getOrDefault("dag " + run.id() + " nap-" + i, 0) >= 1, "nap-" + i + " ran");
            }
            long again = counts.values().stream().filter(n -> n > 1).count();
            assertTrue(again <= 8, "only what the dead hosts were running ran again: " + twice(counts));
        }
    }

    /** A second run with reuseResults reuses, on any host, the results the first run's tasks stored on others. */
    @Test
    void resultsStoredOnOneHostAreReusedOnAnother() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            for (int i = 0; i < 3; i++) {
                host(i, 30, 1_000);
            }
            RunOptions reuse = RunOptions.defaults().reuseResults(true);
            DagRun first = queue.submit(WorkerHost.fanIn(null), reuse);
            assertEquals(RunStatus.SUCCEEDED, first.await(Duration.ofMinutes(1)));
            DagRun second = queue.submit(WorkerHost.fanIn(null), reuse);
            assertEquals(RunStatus.SUCCEEDED, second.await(Duration.ofMinutes(1)));
            assertTrue(second.tasks().stream().allMatch(task -> task.reused()), second.toText());
            assertEquals("joined", second.result("join", String.class));
            Map<String, Integer> counts = executions();
            assertTrue(counts.keySet().stream().noneMatch(key -> key.startsWith("dag " + second.id() + " ")),
                    "no task of the second run ran");
            Set<String> ranOn = new TreeSet<>();
            first.tasks().forEach(task -> ranOn.add(task.worker()));
            assertTrue(ranOn.size() > 1, "the first run's results came from several hosts: " + ranOn);
        }
    }

    private int napsLogged(long runId) throws Exception {
        return (int) executions().keySet().stream().filter(key -> key.startsWith("dag " + runId + " nap-")).count();
    }

    @Test
    void aListeningSessionHearsTheJobEventsOfOtherProcesses() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            Set<Long> succeeded = ConcurrentHashMap.newKeySet();
            Set<Long> started = ConcurrentHashMap.newKeySet();
            queue.listen(new JobListener() {
                @Override
                public void onStatusChanged(JobEvent event) {
                    if (event.to() == JobStatus.SUCCEEDED) {
                        succeeded.add(event.jobId());
                    } else if (event.to() == JobStatus.RUNNING) {
                        started.add(event.jobId());
                    }
                }
            });
            host(0, 30, 1_000);
            Thread.sleep(2_000);   // other processes learn within a second that a session listens
            List<Long> ids = queue.enqueueAll("record", List.of(1, 2, 3, 4, 5));
            for (long id : ids) {
                assertEquals(JobStatus.SUCCEEDED, queue.await(id, Duration.ofSeconds(20)).status());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!succeeded.containsAll(ids) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(succeeded.containsAll(ids), "SUCCEEDED events of jobs another process ran: " + succeeded);
            assertTrue(started.containsAll(ids), "and their RUNNING events: " + started);
        }
    }

    @Test
    void anIdlePoolOnAnotherHostStartsAJobWithinMilliseconds() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            host(0, 30, 60_000);   // polls once a minute: only a notification can wake it in time
            Thread.sleep(500);
            long start = System.nanoTime();
            long id = queue.enqueue("record", 7);
            assertEquals(JobStatus.SUCCEEDED, queue.await(id, Duration.ofSeconds(20)).status());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "the job ran " + millis + " ms after it was enqueued on another process");
        }
    }

    @Test
    void aKilledHostLosesNoJob() throws Exception {
        int jobs = 600;
        try (Queuack queue = Queuack.open(schema.url())) {
            WorkerHost.register(queue, null);
            Host victim = host(0, 2, 200);
            host(1, 2, 200);
            queue.enqueueAll("slow", Collections.nCopies(jobs, 20));
            while (victim.executions().size() < 20) {
                Thread.sleep(20);
            }
            victim.kill();
            Executions.awaitAllSucceeded(queue, jobs, Duration.ofMinutes(3));
        }
        Map<String, Integer> counts = executions();
        assertEquals(jobs, counts.size(), "every job ran");
        long twice = counts.values().stream().filter(n -> n > 1).count();
        assertTrue(twice <= 8, "only jobs that were running on the killed host (4 workers, a small buffer) ran again: "
                + twice(counts));
    }

    @Test
    void theRegistryShowsEveryHostsPoolWithItsHeartbeat() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            Host stopping = host(0, 30, 1_000);
            Host killed = host(1, 30, 1_000);
            Map<Long, WorkerInfo> byPid = awaitPools(queue, 2);
            assertEquals(Set.of(stopping.pid(), killed.pid()), byPid.keySet());
            assertTrue(byPid.values().stream().allMatch(pool -> pool.concurrency() == 4
                    && pool.queues().equals("default×1") && pool.state(Instant.now()) == WorkerInfo.State.ACTIVE));
            stopping.stop();
            killed.kill();
            Instant lastBeat = awaitPools(queue, 2).get(killed.pid()).heartbeatAt();
            Thread.sleep(2_500);
            Map<Long, WorkerInfo> later = awaitPools(queue, 2);
            assertEquals(WorkerInfo.State.STOPPED, later.get(stopping.pid()).state(Instant.now()));
            assertEquals(lastBeat, later.get(killed.pid()).heartbeatAt(), "a killed host's heartbeat stops");
            assertEquals(WorkerInfo.State.SILENT, later.get(killed.pid()).state(Instant.now().plus(WorkerInfo.SILENT_AFTER)));
        }
    }

    private static Map<Long, WorkerInfo> awaitPools(Queuack queue, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<WorkerInfo> pools = queue.workerPools();
            if (pools.size() >= count || System.nanoTime() > deadline) {
                return pools.stream().collect(Collectors.toMap(WorkerInfo::pid, pool -> pool));
            }
            Thread.sleep(50);
        }
    }


    private static List<String> twice(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(10).toList();
    }
}
