package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class GeneratorTest {

    public record Sale(long id, String region, double amount) {
    }

    static final List<String> REGIONS = List.of("north", "south", "east", "west");

    static Stream<Sale> sales(long count) {
        return LongStream.range(0, count).mapToObj(i -> new Sale(i, REGIONS.get((int) (i % 4)), i % 100));
    }

    @TempDir
    Path dir;
    Queuack queue;

    @BeforeEach
    void open() {
        queue = Queuack.open(dir.resolve("jobs.duckdb"));
    }

    @AfterEach
    void close() {
        queue.close();
    }

    @Test
    void generatorTaskOutputIsReadByDownstreamTasksThroughItsHandle() {
        Generator<Sale> generator = Generator.of(Sale.class).batchSize(10_000);
        Dag dag = Dag.builder("etl")
                .task("sales", generator.rows(ctx -> sales(250_000)))
                .task("total", ctx -> {
                    double total = 0;
                    for (Table batch : ctx.upstream("sales", Dataset.class).read().columns("amount").tables()) {
                        total += batch.doubleColumn("amount").sum();
                    }
                    return total;
                }).after("sales")
                .task("norths", ctx -> {
                    long count = 0;
                    for (Sale sale : ctx.upstream("sales", Dataset.class).read().rows(Sale.class)) {
                        count += sale.region().equals("north") ? 1 : 0;
                    }
                    return count;
                }).after("sales")
                .build();

        DagRun run = queue.run(dag);

        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        Dataset sales = run.result("sales", Dataset.class);
        assertEquals(250_000, sales.rows());
        assertEquals(25, sales.batches());
        assertEquals(queue.dataDirectory().resolve("runs").resolve(Long.toString(run.id())).resolve("sales.arrow"),
                sales.path());
        assertEquals(250_000 / 100 * 4950.0, run.result("total", Double.class));
        assertEquals(62_500L, run.result("norths", Long.class));
    }

    @Test
    void fanOutElementsEachWriteTheirOwnDataset() {
        Dag dag = Dag.builder("regions")
                .task("regions", () -> REGIONS)
                .map("perRegion", "regions", String.class, Generator.of(Sale.class).perElement((ctx, region) ->
                        sales(1_000).filter(sale -> sale.region().equals(region))))
                .task("rows", ctx -> {
                    List<Dataset> parts = ctx.upstream("perRegion", new com.fasterxml.jackson.core.type.TypeReference<List<Dataset>>() {
                    });
                    return parts.stream().mapToLong(Dataset::rows).sum();
                }).after("perRegion")
                .build();

        DagRun run = queue.run(dag);

        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        assertEquals(1_000L, run.result("rows", Long.class));
    }

    /** Emits rows on its own thread, only as many as the subscriber asked for, and records the largest demand. */
    static final class CountingPublisher implements Flow.Publisher<Sale> {
        final long total;
        final AtomicLong demand = new AtomicLong();
        final AtomicLong largestDemand = new AtomicLong();

        CountingPublisher(long total) {
            this.total = total;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Sale> subscriber) {
            Thread producer = new Thread(() -> {
                long sent = 0;
                while (sent < total) {
                    if (demand.get() == 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(new Sale(sent, "north", 1.0));
                    sent++;
                }
                subscriber.onComplete();
            });
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    largestDemand.accumulateAndGet(demand.addAndGet(n), Math::max);
                }

                @Override
                public void cancel() {
                }
            });
            producer.start();
        }
    }

    @Test
    void asyncPublisherIsAskedForOneBatchAtATime() {
        CountingPublisher publisher = new CountingPublisher(20_000);
        Dag dag = Dag.builder("async")
                .task("ticks", Generator.of(Sale.class).batchSize(1_000).publisher(ctx -> publisher))
                .build();

        DagRun run = queue.run(dag);

        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> run.errors().toString());
        Dataset ticks = run.result("ticks", Dataset.class);
        assertEquals(20_000, ticks.rows());
        assertEquals(20, ticks.batches());
        long sum = 0;
        for (Sale sale : ticks.read().rows(Sale.class)) {
            sum += sale.id();
        }
        assertEquals(20_000L * 19_999 / 2, sum);
        assertEquals(1_000, publisher.largestDemand.get(), "never more than one batch requested ahead");
    }

    @Test
    void plainQueueJobWritesToItsJobFolder() {
        queue.register("export", Integer.class, Generator.of(Sale.class).job((ctx, count) -> sales(count)));
        long id = queue.enqueue("export", 12_345);
        try (var workers = queue.workers().start()) {
            Job job = queue.await(id, Duration.ofSeconds(30));
            assertEquals(JobStatus.SUCCEEDED, job.status(), () -> String.valueOf(job.error()));
        }
        Dataset export = queue.result(id, Dataset.class);
        assertEquals(12_345, export.rows());
        assertTrue(export.path().startsWith(queue.dataDirectory().resolve("jobs").resolve(Long.toString(id))));
    }

    @Test
    void aGeneratorThatFailsMidwayLeavesNoFileAndFailsItsTask() throws Exception {
        Dag dag = Dag.builder("broken")
                .task("sales", Generator.of(Sale.class).batchSize(100).rows(ctx -> sales(1_000).peek(sale -> {
                    if (sale.id() == 555) {
                        throw new IllegalStateException("source went away at row 555");
                    }
                }))).retries(0)
                .build();

        DagRun run = queue.run(dag);

        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.errors().get("sales").message().contains("source went away at row 555"));
        Path folder = queue.dataDirectory().resolve("runs").resolve(Long.toString(run.id()));
        try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
            assertEquals(List.of(), files.toList(), "neither the dataset nor its .partial file is left");
        }
    }

    @Test
    void fileNamesMustStayInsideTheRunFolder() {
        Generator<Sale> generator = Generator.of(Sale.class);
        for (String bad : List.of("../escape.arrow", "/tmp/abs.arrow", "parts/../../x.arrow", " ", "",
                "../folder/x.arrow", "a/../../folder/x.arrow", "./../folder/x.arrow", "runs/../x.arrow", ".")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generator.fileName(bad));
            assertTrue(e.getMessage().contains("inside the run's data folder"), e.getMessage());
        }
        assertFalse(generator.fileName("parts/sales.arrow").toString().isEmpty());
        assertFalse(generator.fileName("./sales.arrow").toString().isEmpty());
    }
}
