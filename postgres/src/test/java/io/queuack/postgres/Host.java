package io.queuack.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link WorkerHost} in a child JVM (optionally inside a network namespace), with its own execution log. */
final class Host implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;
    private final Path log;

    private Host(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a host and waits until its pool runs.
     *
     * @param prefix a command to run the JVM under (e.g. {@code ip netns exec h1}), or empty
     */
    static Host start(List<String> prefix, String url, Path log, int concurrency, int leaseSeconds, int pollMillis)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerHost.class.getName());
        command.addAll(List.of("work", url, log.toString(), String.valueOf(concurrency), String.valueOf(leaseSeconds),
                String.valueOf(pollMillis)));
        Host host = new Host(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start(), log);
        String line = host.stdout.readLine();
        if (line == null || !line.startsWith("READY")) {
            host.kill();
            throw new IllegalStateException("The worker host did not start: " + line);
        }
        return host;
    }

    /** Kills the JVM at once (SIGKILL), as a crashed host. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the host's JVM did not die");
        }
    }

    /** Stops the host gracefully (closes its stdin) and waits for it. */
    void stop() throws IOException, InterruptedException {
        OutputStream stdin = process.getOutputStream();
        stdin.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the host did not stop within 60 s");
        }
    }

    long pid() {
        return process.pid();
    }

    /** @return the lines this host logged, one per task execution */
    List<String> executions() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        stdout.close();
    }
}
