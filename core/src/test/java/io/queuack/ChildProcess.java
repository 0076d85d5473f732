package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.job.Backoff;
import io.queuack.job.JobOptions;
import io.queuack.job.RunStatus;
import io.queuack.schedule.Backfill;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The program that crash and lock tests run in a child JVM (and kill). Modes:
 * <ul>
 *   <li>{@code process <queue file> <log> <jobs>}: enqueue the jobs (first run only), then run them with a
 *       worker pool; each run appends the job's number to the log before the job is acknowledged.</li>
 *   <li>{@code enqueue <queue file>}: enqueue jobs forever, alone and in batches, printing each id and its
 *       argument on stdout after the enqueue returned.</li>
 *   <li>{@code hold <queue file>}: open the queue, print {@code OPEN}, and wait to be killed.</li>
 *   <li>{@code dag <queue file> <log>}: submit a run of {@link #chain(Path)}, print {@code RUN <id>}, run it.</li>
 *   <li>{@code poison <queue file> <log>}: run {@value #NEIGHBOURS} neighbour jobs and one poison job that calls
 *       {@code System.exit(3)} (enqueued on the first run only); print {@code DONE} once idle.</li>
 *   <li>{@code storm <queue file> <log>}: run (or go on with) the {@link #storm(Path)} DAG, printing
 *       {@code RUN <id>}, then {@code DONE <status>}.</li>
 *   <li>{@code backfill <queue file> <log>}: store the {@link #backfill(Path)} of {@link #days(Path)}, print
 *       {@code RUN <id>}, run it.</li>
 * </ul>
 */
public final class ChildProcess {

    private ChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "process" -> process(file, Path.of(args[2]), Integer.parseInt(args[3]));
            case "enqueue" -> enqueueForever(file);
            case "hold" -> hold(file);
            case "dag" -> runChain(file, Path.of(args[2]));
            case "poison" -> poison(file, Path.of(args[2]));
            case "storm" -> storm(file, Path.of(args[2]));
            case "backfill" -> runBackfill(file, Path.of(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** Registers the durable task whose every run appends its number to {@code log}. */
    static void registerRecorder(Queuack queue, Path log) throws IOException {
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        queue.register("record", Integer.class, (ctx, number) -> {
            Thread.sleep(1);
            channel.write(ByteBuffer.wrap((number + "\n").getBytes(StandardCharsets.US_ASCII)));
            return number;
        });
    }

    private static void process(Path file, Path log, int jobs) throws Exception {
        Queuack queue = Queuack.open(file);
        registerRecorder(queue, log);
        if (queue.stats("default").total() == 0) {
            queue.enqueueAll("record", IntStream.range(0, jobs).boxed().collect(Collectors.toList()));
        }
        System.out.println("ENQUEUED");
        System.out.flush();
        WorkerPool pool = queue.workers().concurrency(4).start();
        pool.awaitIdle(java.time.Duration.ofMinutes(10));
        System.out.println("DONE");
        queue.close();
    }

    private static void enqueueForever(Path file) {
        Queuack queue = Queuack.open(file);
        queue.register("echo", Integer.class, (ctx, n) -> n);
        int next = 0;
        while (true) {
            if (next % 3 == 0) {
                List<Integer> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(next++);
                }
                List<Long> ids = queue.enqueueAll("echo", batch);
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < ids.size(); i++) {
                    lines.append(ids.get(i)).append(' ').append(batch.get(i)).append('\n');
                }
                System.out.print(lines);
            } else {
                long id = queue.enqueue("echo", next);
                System.out.println(id + " " + next++);
            }
            System.out.flush();
        }
    }

    /** Tasks that run in the chain DAG. */
    static final int CHAIN_LENGTH = 30;

    /**
     * A chain of {@value #CHAIN_LENGTH} tasks; each appends its name to {@code log} before it succeeds and
     * returns its upstream's result plus one, so the last returns {@value #CHAIN_LENGTH}.
     */
    static io.queuack.dag.Dag chain(Path log) throws IOException {
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        io.queuack.dag.DagBuilder builder = io.queuack.dag.Dag.builder("chain");
        for (int i = 1; i <= CHAIN_LENGTH; i++) {
            String name = "step" + i;
            String upstream = "step" + (i - 1);
            io.queuack.dag.DagBuilder.TaskStep step = builder.task(name, ctx -> {
                Thread.sleep(50);
                channel.write(ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.US_ASCII)));
                return ctx.upstreamOr(upstream, Integer.class, 0) + 1;
            });
            if (i > 1) {
                step.after(upstream);
            }
        }
        return builder.build();
    }

    private static void runChain(Path file, Path log) throws IOException {
        Queuack queue = Queuack.open(file);
        DagRun run = queue.submit(chain(log));
        System.out.println("RUN " + run.id());
        System.out.flush();
        queue.workers().start();
        run.await(java.time.Duration.ofMinutes(10));
        System.out.println("DONE");
        queue.close();
    }

    /** A DAG run per day: {@code fetch} logs {@code fetch <day>} and takes a while, {@code store} logs {@code store <day>}. */
    static Dag days(Path log) throws IOException {
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return Dag.builder("days")
                .task("fetch", ctx -> {
                    channel.write(ByteBuffer.wrap(("fetch " + ctx.parameter("day", String.class) + "\n")
                            .getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(150);
                    return ctx.parameter("day", String.class);
                })
                .task("store", ctx -> {
                    channel.write(ByteBuffer.wrap(("store " + ctx.upstream("fetch", String.class) + "\n")
                            .getBytes(StandardCharsets.US_ASCII)));
                    return null;
                }).after("fetch")
                .build();
    }

    /** Twelve days of {@link #days(Path)}, two at a time. */
    static Backfill backfill(Path log) throws IOException {
        return Backfill.days(days(log), java.time.LocalDate.parse("2026-11-01"), java.time.LocalDate.parse("2026-11-12"))
                .concurrency(2);
    }

    private static void runBackfill(Path file, Path log) throws IOException {
        Queuack queue = Queuack.open(file);
        BackfillRun run = queue.backfill(backfill(log));
        System.out.println("RUN " + run.id());
        System.out.flush();
        queue.workers().concurrency(4).start();
        run.await(java.time.Duration.ofMinutes(10));
        System.out.println("DONE");
        queue.close();
    }

    /** Neighbour jobs of the poison job. */
    static final int NEIGHBOURS = 12;

    private static void poison(Path file, Path log) throws Exception {
        Queuack queue = Queuack.open(file);
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        queue.register("neighbour", Integer.class, (ctx, n) -> {
            Thread.sleep(150);
            channel.write(ByteBuffer.wrap(("ran " + n + "\n").getBytes(StandardCharsets.US_ASCII)));
            return n;
        });
        queue.register("poison", String.class, (ctx, s) -> {
            Thread.sleep(60);
            System.exit(3);
            return s;
        });
        if (queue.stats("default").total() == 0) {
            queue.enqueueAll("neighbour", IntStream.range(0, NEIGHBOURS).boxed().collect(Collectors.toList()));
            queue.enqueue("poison", "x", JobOptions.defaults().priority(100).backoff(Backoff.NONE));
        }
        WorkerPool pool = queue.workers().concurrency(4).start();
        pool.awaitIdle(java.time.Duration.ofMinutes(2));
        System.out.println("DONE");
        System.out.flush();
        queue.close();
    }

    /** Layers and width of the {@link #storm(Path)} DAG. */
    static final int STORM_LAYERS = 8;
    static final int STORM_WIDTH = 25;

    /**
     * {@value #STORM_LAYERS} layers of {@value #STORM_WIDTH} tasks, each after two tasks of the layer above, and
     * a {@code sink} after the whole last layer; each task appends its name to {@code log} when it starts.
     */
    static io.queuack.dag.Dag storm(Path log) throws IOException {
        FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        io.queuack.dag.DagBuilder builder = io.queuack.dag.Dag.builder("storm");
        for (int layer = 0; layer < STORM_LAYERS; layer++) {
            for (int i = 0; i < STORM_WIDTH; i++) {
                String name = "t" + layer + "_" + i;
                long sleep = 5 + (layer * 7L + i * 3L) % 20;
                io.queuack.dag.DagBuilder.TaskStep step = builder.task(name, ctx -> {
                    channel.write(ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(sleep);
                    return 1;
                });
                if (layer > 0) {
                    step.after("t" + (layer - 1) + "_" + i, "t" + (layer - 1) + "_" + (i + 1) % STORM_WIDTH);
                }
            }
        }
        List<String> last = IntStream.range(0, STORM_WIDTH).mapToObj(i -> "t" + (STORM_LAYERS - 1) + "_" + i).toList();
        builder.task("sink", ctx -> ctx.upstreamResults().size()).after(last.toArray(String[]::new));
        return builder.build();
    }

    private static void storm(Path file, Path log) throws IOException {
        Queuack queue = Queuack.open(file);
        io.queuack.dag.Dag dag = storm(log);
        List<DagRun> earlier = queue.dagRuns("storm", 1);
        DagRun run = earlier.isEmpty() ? queue.submit(dag) : queue.dagRun(dag, earlier.get(0).id());
        System.out.println("RUN " + run.id());
        System.out.flush();
        queue.workersFor(run).concurrency(4).start();
        RunStatus status = run.await(java.time.Duration.ofMinutes(5));
        System.out.println("DONE " + status);
        System.out.flush();
        queue.close();
    }

    private static void hold(Path file) throws InterruptedException {
        Queuack queue = Queuack.open(file);
        System.out.println("OPEN " + queue.description());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
