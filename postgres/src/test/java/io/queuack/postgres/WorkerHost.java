package io.queuack.postgres;

import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.dag.DagBuilder;
import io.queuack.schedule.Slot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A worker host: the program the multi-process tests start in child JVMs (and in network namespaces, and
 * kill). {@code work <url> <log> <concurrency> <lease seconds> <poll ms>} opens the queue at the URL, registers
 * the tasks and DAGs below, starts a pool, prints {@code READY}, and runs until its stdin closes (then it stops
 * gracefully and prints {@code STOPPED}) or it is killed. Every execution of a task appends a line to the log
 * (its own file) before the outcome is acknowledged: the count of executions kept outside the queue.
 */
public final class WorkerHost {

    /** Fan-in DAG: {@value #WIDTH} parallel tasks joined by one. */
    static final int WIDTH = 50;
    static final int GROUPS = 100;
    static final int GROUP_WIDTH = 99;
    /** Tasks of the {@code naps} DAG, each sleeping {@value #NAP_MILLIS} ms. */
    static final int NAPS = 40;
    static final int NAP_MILLIS = 300;

    private WorkerHost() {
    }

    public static void main(String[] args) throws Exception {
        if (!"work".equals(args[0])) {
            throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        String url = args[1];
        Path log = Path.of(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[4]));
        Duration poll = Duration.ofMillis(Long.parseLong(args[5]));
        try (Queuack queue = Queuack.open(url); FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            register(queue, out);
            WorkerPool pool = queue.workers().concurrency(concurrency).visibilityTimeout(lease).pollInterval(poll)
                    .start();
            System.out.println("READY " + pool.id());
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                // runs until the test closes stdin
            }
            pool.close();
            System.out.println("STOPPED");
            System.out.flush();
        }
    }

    /** Registers the tasks and DAGs every host runs (the submitting test process registers the same). */
    static void register(Queuack queue, FileChannel log) {
        queue.register("record", Integer.class, (ctx, number) -> {
            append(log, "run " + ctx.jobId() + " " + micros());
            return number;
        });
        queue.register("slow", Integer.class, (ctx, number) -> {
            append(log, "run " + ctx.jobId() + " " + micros());
            Thread.sleep(number);
            return number;
        });
        queue.register("tick", Slot.class, (ctx, slot) -> {
            append(log, "tick " + slot.time());
            return null;
        });
        queue.register("span", Integer.class, (ctx, millis) -> span(log, ctx.jobId(), millis));
        queue.register("keyed-span", Integer.class, (ctx, millis) -> span(log, ctx.jobId(), millis));
        queue.register(fanIn(log));
        queue.register(wide(log));
        queue.register(naps(log));
    }

    /**
     * Logs when a job starts and ends its work ({@code span <id> start|end <micros>}), working {@code millis} between:
     * the running jobs counted outside the queue.
     */
    static int span(FileChannel log, long jobId, int millis) throws Exception {
        append(log, "span " + jobId + " start " + micros());
        Thread.sleep(millis);
        append(log, "span " + jobId + " end " + micros());
        return millis;
    }

    /** @return the wall-clock time in microseconds (the hosts share this machine's clock, and PostgreSQL's) */
    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** {@value #GROUPS} groups of {@value #GROUP_WIDTH} parallel tasks, each group joined by one: 10,000 tasks. */
    static Dag wide(FileChannel log) {
        DagBuilder builder = Dag.builder("wide");
        for (int group = 0; group < GROUPS; group++) {
            String[] parts = new String[GROUP_WIDTH];
            for (int i = 0; i < GROUP_WIDTH; i++) {
                String name = "g" + group + "-" + i;
                parts[i] = name;
                builder.task(name, ctx -> {
                    append(log, "dag " + ctx.runId() + " " + name);
                    return null;
                });
            }
            String join = "g" + group + "-join";
            builder.task(join, ctx -> {
                append(log, "dag " + ctx.runId() + " " + join);
                return null;
            }).after(parts);
        }
        return builder.build();
    }

    /** {@value #WIDTH} parallel tasks, each logged, and a join after all of them. */
    static Dag fanIn(FileChannel log) {
        DagBuilder builder = Dag.builder("fan-in");
        String[] parts = new String[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            String name = "part-" + i;
            parts[i] = name;
            builder.task(name, ctx -> {
                append(log, "dag " + ctx.runId() + " " + name);
                return name;
            });
        }
        builder.task("join", ctx -> {
            append(log, "dag " + ctx.runId() + " join");
            return "joined";
        }).after(parts);
        return builder.build();
    }

    /** {@value #NAPS} parallel tasks of {@value #NAP_MILLIS} ms, each logged as it starts, and {@code last} after all. */
    static Dag naps(FileChannel log) {
        DagBuilder builder = Dag.builder("naps");
        String[] naps = new String[NAPS];
        for (int i = 0; i < NAPS; i++) {
            String name = "nap-" + i;
            naps[i] = name;
            builder.task(name, ctx -> {
                append(log, "dag " + ctx.runId() + " " + name);
                Thread.sleep(NAP_MILLIS);
                return name;
            });
        }
        builder.task("last", ctx -> {
            append(log, "dag " + ctx.runId() + " last");
            return "done";
        }).after(naps);
        return builder.build();
    }

    static void append(FileChannel log, String line) throws IOException {
        if (log != null) {
            synchronized (log) {
                log.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
