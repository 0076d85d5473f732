package io.queuack.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.Queuack;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.job.WorkerInfo;
import io.queuack.storage.postgres.FreshSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Worker processes started from a running JVM: they share the work, stop when closed or when their starter ends. */
class LocalWorkersTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshSchema schema = new FreshSchema();

    private static Path testClasses() throws Exception {
        return Path.of(SampleTasks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void twoProcessesShareTheJobsAndStopWhenClosed() throws Exception {
        try (Queuack queue = Queuack.open(schema.url())) {
            List<Long> ids = queue.enqueueAll("nap", IntStream.range(0, 40).map(i -> 50).boxed().toList());
            LocalWorkers workers = LocalWorkers.on(schema.url()).processes(2).concurrency(2).classPath(testClasses())
                    .logFolder(dir).start();
            try {
                assertEquals(2, Set.copyOf(workers.pids()).size());
                for (long id : ids) {
                    assertEquals(JobStatus.SUCCEEDED, queue.await(id, Duration.ofSeconds(60)).status());
                }
                Set<String> ranOn = new TreeSet<>();
                for (long id : ids) {
                    Job job = queue.job(id).orElseThrow();
                    ranOn.add(job.workerProcess());
                }
                Set<String> expected = new TreeSet<>();
                List<WorkerInfo> registered = queue.workerPools();
                for (WorkerInfo worker : registered) {
                    if (workers.pids().contains(worker.pid())) {
                        expected.add(worker.host() + ":" + worker.pid());
                    }
                }
                assertEquals(2, expected.size(), "both processes are in the registry: " + registered);
                assertEquals(expected, ranOn, "each process ran some of the 40 jobs of 50 ms");
                String log = Files.readString(workers.logs().get(0));
                assertTrue(log.contains("stops when process " + ProcessHandle.current().pid() + " ends"), log);
                assertTrue(!log.contains("password"), "the store went through the environment: " + log);
            } finally {
                workers.close();
            }
            assertEquals(0, workers.alive());
            for (WorkerInfo worker : queue.workerPools()) {
                if (workers.pids().contains(worker.pid())) {
                    assertEquals(WorkerInfo.State.STOPPED, worker.state(Instant.now()), "stopped cleanly: " + worker);
                }
            }
        }
    }

    @Test
    void aWorkerStopsByItselfWhenTheProcessNamedByStopWithEnds() throws Exception {
        Process starter = new ProcessBuilder("sleep", "600").start();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName(),
                "--store", schema.url(), "--stop-with", String.valueOf(starter.pid())));
        Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("w.log")
                .toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("w.log")).contains("stops when process") && worker.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(worker.isAlive(), Files.readString(dir.resolve("w.log")));
            starter.destroyForcibly();
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "the worker ended with its starter");
            assertEquals(0, worker.exitValue(), Files.readString(dir.resolve("w.log")));
        } finally {
            worker.destroyForcibly();
            starter.destroyForcibly();
        }
    }

    @Test
    void aProcessThatCannotStartIsReportedWithWhatItLogged() throws Exception {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> LocalWorkers.on(schema.url())
                .processes(2).classPath(dir).tasks("no.such.Tasks").logFolder(dir).start());
        assertTrue(failed.getMessage().startsWith("Worker process 1 ended (exit code 2) before it started"),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("--tasks: no class no.such.Tasks"), failed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalWorkers.on(schema.url()).processes(0));
        assertThrows(IllegalArgumentException.class, () -> LocalWorkers.on(" "));
        assertThrows(IllegalArgumentException.class, () -> LocalWorkers.on(schema.url()).start(),
                "no tasks at all");
        assertThrows(IllegalArgumentException.class, () -> LocalWorkers.on(schema.url()).tasks("not a class"));
        assertThrows(IllegalArgumentException.class, () -> LocalWorkers.on(schema.url()).jvmOptions(List.of("x")));
    }
}
