package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Job;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM is killed (SIGKILL) mid-run; reopening the file loses nothing and re-runs nothing acknowledged. */
class CrashTest {

    private static final int JOBS = 10_000;

    @TempDir
    Path dir;

    @Test
    void aKilledWorkerProcessLosesNoJobAndRepeatsNoAcknowledgedOne() throws Exception {
        Path file = dir.resolve("crash.duckdb");
        Path log = dir.resolve("runs.log");
        try (Child child = Child.start("process", file.toString(), log.toString(), Integer.toString(JOBS))) {
            assertEquals("ENQUEUED", child.readLine());
            Waits.until("a few thousand jobs ran in the child", () -> lines(log) >= 3_000);
            child.kill();
        }
        int ranBeforeKill = lines(log);
        assertTrue(ranBeforeKill < JOBS, "the kill came mid-run (" + ranBeforeKill + " runs)");

        try (Queuack queue = Queuack.open(file)) {
            List<Job> all = queue.jobs(JobQuery.all().limit(JobQuery.MAX_LIMIT));
            assertEquals(JOBS, all.size(), "no job was lost");
            Set<Integer> acknowledged = all.stream().filter(job -> job.status() == JobStatus.SUCCEEDED)
                    .map(job -> Integer.parseInt(job.argumentsJson())).collect(Collectors.toSet());
            assertTrue(acknowledged.size() >= 1_000, "many jobs were acknowledged before the kill: " + acknowledged.size());

            ChildProcess.registerRecorder(queue, log);
            try (WorkerPool pool = queue.workers().concurrency(4).start()) {
                assertTrue(pool.awaitIdle(Waits.LONG.multipliedBy(4)));
            }
            assertEquals(JOBS, queue.stats("default").count(JobStatus.SUCCEEDED), "every job completed");

            Map<Integer, Integer> runs = runsPerJob(log);
            for (int n = 0; n < JOBS; n++) {
                assertTrue(runs.getOrDefault(n, 0) >= 1, "job " + n + " never ran");
            }
            Set<Integer> repeated = new HashSet<>();
            runs.forEach((n, count) -> {
                if (count > 1) {
                    repeated.add(n);
                }
            });
            for (int n : acknowledged) {
                assertEquals(1, runs.get(n), "job " + n + " was acknowledged before the kill and ran again");
            }
            assertTrue(repeated.size() <= WorkerPoolBuilder.DEFAULT_MAX_CLAIM_BATCH + 4,
                    "only jobs in flight at the kill ran twice: " + repeated.size());
        }
    }

    @Test
    void aKillBetweenEnqueueAndCommitLosesNothingThatWasReported() throws Exception {
        Path file = dir.resolve("enqueue.duckdb");
        Map<Long, Integer> reported = new HashMap<>();
        try (Child child = Child.start("enqueue", file.toString())) {
            while (reported.size() < 3_000) {
                String line = child.readLine();
                assertNotNull(line, "the child ended early");
                String[] parts = line.split(" ");
                reported.put(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            }
            child.kill();
        }
        try (Queuack queue = Queuack.open(file)) {
            Map<Long, String> stored = queue.jobs(JobQuery.all().limit(JobQuery.MAX_LIMIT)).stream()
                    .collect(Collectors.toMap(Job::id, Job::argumentsJson));
            reported.forEach((id, argument) -> assertEquals(Integer.toString(argument), stored.get(id),
                    "job " + id + " was reported as enqueued but is not stored"));
            assertTrue(stored.size() >= reported.size());
        }
    }

    private static int lines(Path log) {
        try {
            return Files.exists(log) ? (int) Files.readAllLines(log, StandardCharsets.US_ASCII).stream()
                    .filter(line -> !line.isEmpty()).count() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<Integer, Integer> runsPerJob(Path log) throws java.io.IOException {
        Map<Integer, Integer> runs = new HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
            if (!line.isEmpty()) {
                runs.merge(Integer.parseInt(line), 1, Integer::sum);
            }
        }
        return runs;
    }
}
