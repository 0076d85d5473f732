package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM running a DAG is killed (SIGKILL); the run resumes where it stopped, re-running no finished task. */
class DagCrashTest {

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesWithoutRepeatingFinishedTasks() throws Exception {
        Path file = dir.resolve("dag.duckdb");
        Path log = dir.resolve("steps.log");
        long runId;
        try (Child child = Child.start("dag", file.toString(), log.toString())) {
            String first = child.readLine();
            assertTrue(first.startsWith("RUN "), first);
            runId = Long.parseLong(first.substring(4));
            Waits.until("some steps ran in the child", () -> steps(log).size() >= 10);
            child.kill();
        }
        int ranBeforeKill = steps(log).size();
        assertTrue(ranBeforeKill < ChildProcess.CHAIN_LENGTH, "the kill came mid-run");
        try (Queuack queue = Queuack.open(file)) {
            DagRun stored = queue.dagRun(runId).orElseThrow();
            assertEquals(RunStatus.RUNNING, stored.status());
            Set<String> finished = stored.tasks().stream().filter(task -> task.status() == JobStatus.SUCCEEDED)
                    .map(RunTask::name).collect(Collectors.toSet());
            assertTrue(finished.size() >= 9, "finished before the kill: " + finished);

            DagRun resumed = queue.resume(ChildProcess.chain(log), runId);
            assertEquals(RunStatus.SUCCEEDED, resumed.status(), () -> resumed.errors().toString());
            assertEquals(ChildProcess.CHAIN_LENGTH, resumed.result("step" + ChildProcess.CHAIN_LENGTH, Integer.class),
                    "results of finished tasks were reused downstream");
            Map<String, Integer> runs = new HashMap<>();
            steps(log).forEach(step -> runs.merge(step, 1, Integer::sum));
            for (int i = 1; i <= ChildProcess.CHAIN_LENGTH; i++) {
                assertTrue(runs.containsKey("step" + i), "step" + i + " never ran");
            }
            for (String done : finished) {
                assertEquals(1, runs.get(done), done + " had finished before the kill and ran again");
            }
        }
    }

    private static List<String> steps(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.US_ASCII).stream()
                    .filter(line -> !line.isEmpty()).toList() : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
