package io.queuack.worker;

import io.queuack.Queuack;
import io.queuack.WorkerPoolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Worker processes on this machine, started from a running JVM (a notebook, a test, a small program): each runs
 * {@link WorkerCommand} on one shared store with the {@link io.queuack.TaskSet}s of a class path.
 * {@link #close()} stops them as SIGTERM does (running jobs finish within the shutdown grace), and each stops by
 * itself when the process that started it ends, so none outlives a killed notebook kernel.
 *
 * <pre>{@code
 * try (LocalWorkers workers = LocalWorkers.on("jdbc:postgresql://localhost/queues?user=me")
 *         .processes(3).concurrency(2).classPath(Path.of("tasks")).tasks("ShopTasks").start()) {
 *     queue.run(dag);
 * }
 * }</pre>
 *
 * The store goes to the processes through their environment ({@code QUEUACK_STORE}), never their command line,
 * which other users of the machine can read.
 */
public final class LocalWorkers implements AutoCloseable {

    /** The most processes one call starts. */
    public static final int MAX_PROCESSES = 64;

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Pattern QUEUE_NAME = Pattern.compile("[^:\\s]{1,200}");
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int LOG_SHOWN = 2_000;

    private final List<Process> processes;
    private final List<Path> logs;
    private final Duration grace;

    private LocalWorkers(List<Process> processes, List<Path> logs, Duration grace) {
        this.processes = List.copyOf(processes);
        this.logs = List.copyOf(logs);
        this.grace = grace;
    }

    /** @return a builder of worker processes on {@code store}: a PostgreSQL JDBC URL (processes share it) */
    public static Builder on(String store) {
        Objects.requireNonNull(store, "store");
        if (store.isBlank()) {
            throw new IllegalArgumentException("The store of worker processes is blank: give a PostgreSQL JDBC URL");
        }
        return new Builder(store);
    }

    /** @return the processes' ids, in start order */
    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** @return each process's log file (its output and errors), in start order */
    public List<Path> logs() {
        return logs;
    }

    /** @return how many of the processes are still running */
    public int alive() {
        return (int) processes.stream().filter(Process::isAlive).count();
    }

    /**
     * Stops every process as SIGTERM does: they stop claiming, wait up to their shutdown grace for running jobs and
     * give back the rest. A process still running a few seconds after its grace is killed.
     */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.plusSeconds(10).toNanos();
        for (Process process : processes) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                processes.forEach(Process::destroyForcibly);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What to start: how many processes, their threads, tasks and queues. */
    public static final class Builder {

        private final String store;
        private int count = 1;
        private Integer concurrency;
        private final Set<Path> classPath = new LinkedHashSet<>();
        private final Set<String> taskSets = new LinkedHashSet<>();
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Duration grace = Duration.ofSeconds(10);
        private Duration startTimeout = Duration.ofSeconds(60);
        private Path logFolder;

        private Builder(String store) {
            this.store = store;
        }

        /** How many worker processes to start (1 by default, at most {@value #MAX_PROCESSES}). */
        public Builder processes(int count) {
            if (count < 1 || count > MAX_PROCESSES) {
                throw new IllegalArgumentException("Worker processes: from 1 to " + MAX_PROCESSES + ", was " + count);
            }
            this.count = count;
            return this;
        }

        /** Worker threads per process (default: the machine's processors, at least 2). */
        public Builder concurrency(int threads) {
            if (threads < 1 || threads > WorkerPoolBuilder.MAX_CONCURRENCY) {
                throw new IllegalArgumentException("Concurrency must be between 1 and "
                        + WorkerPoolBuilder.MAX_CONCURRENCY + ", was " + threads);
            }
            this.concurrency = threads;
            return this;
        }

        /** A jar or class folder with TaskSets (found through META-INF/services, or named by {@link #tasks}). */
        public Builder classPath(Path entry) {
            Objects.requireNonNull(entry, "entry");
            if (!Files.exists(entry)) {
                throw new IllegalArgumentException("Worker class path: " + entry + " does not exist");
            }
            classPath.add(entry.toAbsolutePath());
            return this;
        }

        /** A TaskSet class to register in each process, besides those its class path lists. */
        public Builder tasks(String taskSetClass) {
            Objects.requireNonNull(taskSetClass, "taskSetClass");
            if (!CLASS_NAME.matcher(taskSetClass).matches()) {
                throw new IllegalArgumentException("A TaskSet class name such as shop.ShopTasks, got '"
                        + taskSetClass + "'");
            }
            taskSets.add(taskSetClass);
            return this;
        }

        /** A queue the processes run, with its weight (without any: the default queue). */
        public Builder queue(String name, int weight) {
            Objects.requireNonNull(name, "name");
            if (!QUEUE_NAME.matcher(name).matches() || weight < 1 || weight > 999_999) {
                throw new IllegalArgumentException("A queue name (no ':' or spaces, at most 200 characters) and a"
                        + " weight from 1 to 999999, got '" + name + "' and " + weight);
            }
            queues.put(name, weight);
            return this;
        }

        /** Options for the processes' JVMs, e.g. {@code --add-opens=java.base/java.nio=ALL-UNNAMED} for Arrow. */
        public Builder jvmOptions(List<String> options) {
            for (String option : options) {
                if (option == null || !option.startsWith("-")) {
                    throw new IllegalArgumentException("A JVM option starts with '-', got '" + option + "'");
                }
            }
            jvmOptions.addAll(options);
            return this;
        }

        /** How long a stopping process waits for its running jobs (10 s by default). */
        public Builder shutdownGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("Shutdown grace: from 0 to 1 hour, was " + grace);
            }
            this.grace = grace;
            return this;
        }

        /** How long {@link #start()} waits for each process to start its pool (60 s by default). */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Start timeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Where the processes' logs go (default: a new temporary folder). */
        public Builder logFolder(Path folder) {
            this.logFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Starts the processes and waits until each runs its pool.
         *
         * @throws IllegalStateException if one ends or stays silent first (the others are stopped); the message
         *                               ends with the start of its log
         */
        public LocalWorkers start() {
            if (classPath.isEmpty() && taskSets.isEmpty()) {
                throw new IllegalArgumentException("Worker processes need tasks: give the classPath of their TaskSets"
                        + " (and tasks(className) unless META-INF/services lists them)");
            }
            List<Process> started = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            try {
                Path folder = logFolder != null ? Files.createDirectories(logFolder)
                        : Files.createTempDirectory("queuack-workers-");
                for (int i = 1; i <= count; i++) {
                    Path log = folder.resolve("worker-" + i + ".log");
                    ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                            .redirectOutput(log.toFile());
                    builder.environment().put("QUEUACK_STORE", store);
                    started.add(builder.start());
                    logs.add(log);
                }
                for (int i = 0; i < started.size(); i++) {
                    awaitStart(i + 1, started.get(i), logs.get(i));
                }
            } catch (IOException e) {
                started.forEach(Process::destroyForcibly);
                throw new UncheckedIOException("Could not start worker processes: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                started.forEach(Process::destroyForcibly);
                throw e;
            }
            return new LocalWorkers(started, logs, grace);
        }

        private List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", workerClassPath(), WorkerCommand.class.getName(),
                    "--stop-with", String.valueOf(ProcessHandle.current().pid()),
                    "--shutdown-grace", grace.toMillis() + "ms"));
            if (concurrency != null) {
                command.addAll(List.of("--concurrency", String.valueOf(concurrency)));
            }
            if (!classPath.isEmpty()) {
                command.addAll(List.of("--class-path", String.join(java.io.File.pathSeparator,
                        classPath.stream().map(Path::toString).toList())));
            }
            taskSets.forEach(name -> command.addAll(List.of("--tasks", name)));
            queues.forEach((name, weight) -> command.addAll(List.of("--queue", name + ":" + weight)));
            return command;
        }

        private void awaitStart(int number, Process process, Path log) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (true) {
                String text = read(log);
                if (text.contains("queuack-worker ") && text.contains("; pool ")) {
                    return;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String what = process.isAlive() ? "did not start within " + startTimeout.toSeconds() + " s"
                            : "ended (exit code " + process.exitValue() + ") before it started";
                    throw new IllegalStateException("Worker process " + number + " " + what + "; it logged:\n"
                            + head(read(log)));
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while worker processes started", e);
                }
            }
        }

        private static String read(Path log) {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** @return the start of a log: where a process that could not start says why (its usage or trace follows) */
        private static String head(String text) {
            String trimmed = text.strip();
            return trimmed.length() <= LOG_SHOWN ? trimmed : trimmed.substring(0, LOG_SHOWN) + "...";
        }
    }

    /**
     * @return the class path that runs {@link WorkerCommand}: the self-contained jar it came from (the worker's or a
     *         notebook kernel's {@code -all} jar), or else this JVM's own class path (built from sources, or a
     *         Maven application's thin jars)
     */
    static String workerClassPath() {
        Path own = codeSource(WorkerCommand.class);
        if (Files.isRegularFile(own) && own.equals(codeSource(Queuack.class))) {
            return own.toString();
        }
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(
                java.io.File.pathSeparator)));
        entries.add(own.toString());
        entries.add(codeSource(Queuack.class).toString());
        entries.remove("");
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the jar of " + type.getName(), e);
        }
    }
}
