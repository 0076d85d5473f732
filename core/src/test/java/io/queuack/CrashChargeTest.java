package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.Job;
import io.queuack.job.JobQuery;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes charge attempts only to jobs that ran, in real child JVMs: a task that calls {@code System.exit}
 * uses up its own attempts and no neighbour's; a DAG killed again and again (SIGKILL) still succeeds,
 * charging at most the tasks that were running at each kill.
 */
class CrashChargeTest {

    @TempDir
    Path dir;

    @Test
    void aTaskThatExitsTheJvmEndsDeadAndItsNeighboursAllSucceedOnTheirFirstAttempt() throws Exception {
        Path file = dir.resolve("poison.duckdb");
        Path log = dir.resolve("neighbours.log");
        List<Integer> exits = new ArrayList<>();
        for (int run = 0; run < 6 && (exits.isEmpty() || exits.get(exits.size() - 1) != 0); run++) {
            try (Child child = Child.start("poison", file.toString(), log.toString())) {
                exits.add(child.waitFor());
            }
            try (Queuack peek = Queuack.open(file)) {
                Job poison = peek.jobs(JobQuery.all().limit(100)).stream().filter(job -> job.task().equals("poison"))
                        .findFirst().orElseThrow();
                assertEquals(Math.min(3, run + 1), poison.attempts(), "each exit charged the poison job one attempt");
            }
        }
        assertEquals(List.of(3, 3, 3, 0), exits, "three exits (one per attempt of the poison job), then a clean run");
        try (Queuack queue = Queuack.open(file)) {
            List<Job> jobs = queue.jobs(JobQuery.all().limit(100));
            Job poison = jobs.stream().filter(job -> job.task().equals("poison")).findFirst().orElseThrow();
            assertEquals(JobStatus.DEAD, poison.status());
            assertEquals(3, poison.attempts());
            assertEquals("io.queuack.TaskExited", poison.error().type());
            assertTrue(poison.error().message().contains("called System.exit"), poison.error().message());
            assertTrue(poison.error().stackTrace().contains("ChildProcess"), poison.error().stackTrace());
            List<Job> neighbours = jobs.stream().filter(job -> job.task().equals("neighbour")).toList();
            assertEquals(ChildProcess.NEIGHBOURS, neighbours.size());
            for (Job neighbour : neighbours) {
                assertEquals(JobStatus.SUCCEEDED, neighbour.status(), neighbour.summary());
                assertEquals(1, neighbour.attempts(), "no exit charged neighbour " + neighbour.id() + " an attempt");
            }
        }
    }

    @Test
    void aDagKilledAgainAndAgainSucceedsChargingOnlyTasksThatWereRunning() throws Exception {
        Path file = dir.resolve("storm.duckdb");
        Path log = dir.resolve("starts.log");
        Random random = new Random(20261202);
        int kills = 8;
        int concurrency = 4;
        String done = null;
        for (int round = 0; done == null; round++) {
            try (Child child = Child.start("storm", file.toString(), log.toString())) {
                String first = child.readLine();
                assertTrue(first != null && first.startsWith("RUN "), String.valueOf(first));
                if (round < kills) {
                    int startedBefore = lines(log).size();
                    int more = 5 + random.nextInt(40);
                    Waits.until("tasks ran in the child", () -> lines(log).size() >= startedBefore + more);
                    child.kill();
                } else {
                    done = child.readLine();
                }
            }
        }
        assertEquals("DONE SUCCEEDED", done);
        try (Queuack queue = Queuack.open(file)) {
            DagRun run = queue.dagRuns("storm", 1).get(0);
            assertEquals(RunStatus.SUCCEEDED, run.status());
            assertEquals(ChildProcess.STORM_WIDTH, run.result("sink", Integer.class));
            int charged = 0;
            for (RunTask task : run.tasks()) {
                assertEquals(JobStatus.SUCCEEDED, task.status(), task.name());
                charged += task.attempts() - 1;
            }
            assertTrue(charged <= kills * concurrency, charged + " attempts charged by " + kills + " kills of a pool of "
                    + concurrency + " threads: only running tasks may be charged");
        }
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.US_ASCII) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
