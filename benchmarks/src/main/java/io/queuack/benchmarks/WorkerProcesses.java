package io.queuack.benchmarks;

import io.queuack.worker.WorkerCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Worker processes started with the worker command ({@link WorkerCommand}) and the benchmark's task set. */
final class WorkerProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    /** Starts {@code count} processes of {@code threads} workers each on {@code store}; returns once all run. */
    WorkerProcesses(int count, int threads, String store) throws IOException {
        try {
            for (int i = 0; i < count; i++) {
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName(),
                        "--store", store, "--tasks", ScaleOutTasks.class.getName(), "--concurrency",
                        String.valueOf(threads), "--poll", "1s");
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                processes.add(process);
                String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line == null || !line.startsWith("queuack-worker")) {
                    throw new IOException("A worker process did not start: " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops every process (SIGTERM) and waits for them. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
