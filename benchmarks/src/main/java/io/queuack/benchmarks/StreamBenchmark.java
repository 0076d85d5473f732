package io.queuack.benchmarks;

import io.queuack.arrow.ArrowSql;
import io.queuack.arrow.Column;
import io.queuack.arrow.ColumnType;
import io.queuack.arrow.Dataset;
import io.queuack.arrow.DatasetSchema;
import io.queuack.arrow.Datasets;
import io.queuack.arrow.JsonLines;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/**
 * Streaming figures: writing and reading (long, double) rows as Arrow (from records, from a column filler;
 * back as Tablesaw tables and as records) against Jackson JSON Lines of the same rows in the same run; a
 * DuckDB aggregate over the dataset; peak RSS of a whole write-then-read pipeline at two sizes, each in a
 * fresh JVM.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, description = "Arrow streaming figures, JSON Lines side by side.")
final class StreamBenchmark implements Callable<Integer> {

    /** The benchmark's row: one long, one double. */
    public record Point(long id, double value) {
    }

    static final DatasetSchema POINTS = DatasetSchema.of(Column.of("id", ColumnType.LONG),
            Column.of("value", ColumnType.DOUBLE));

    @Option(names = "--rows", description = "rows written and read (default: ${DEFAULT-VALUE})")
    long rows = 100_000_000;

    @Option(names = "--repeat",
            description = "repetitions of the write/read measurements; medians are reported (default: ${DEFAULT-VALUE})")
    int repeat = 3;

    @Option(names = "--rss-rows", split = ",",
            description = "sizes of the pipeline whose peak RSS is measured, each in a fresh JVM (default: ${DEFAULT-VALUE})")
    List<Long> rssRows = List.of(10_000_000L, 100_000_000L);

    @Option(names = "--rss-heap", description = "fixed heap (-Xms and -Xmx) of the RSS child JVMs (default: ${DEFAULT-VALUE})")
    String rssHeap = "128m";

    @Option(names = "--results", description = "folder for the JSON results and the chart (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    @Option(names = "--scratch", description = "folder for the data files, e.g. /dev/shm to leave the disk out"
            + " (default: the system's temporary folder)")
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"));

    static Stream<Point> points(long count) {
        return LongStream.range(0, count).mapToObj(i -> new Point(i, i * 0.5));
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("stream");
        System.out.println("Data files in " + scratch.toAbsolutePath());
        Path folder = Files.createTempDirectory(scratch, "queuack-stream-bench");
        try {
            warmUp(folder);
            measure(report, folder);
            for (long size : rssRows) {
                report.add(Figure.of(String.format("peak RSS, write + read %,d rows (heap %s, pre-touched)", size, rssHeap),
                        StreamRss.measure(size, folder, rssHeap) / 1024.0, "MB"));
            }
        } finally {
            delete(folder);
        }
        report.write(results);
        return 0;
    }

    /** Seconds each step of one repetition took, and the files' sizes. */
    private record Timings(double recordWrite, double columnWrite, double jsonWrite, double tableRead, double recordRead,
            double jsonRead, double aggregate, long arrowBytes, long jsonBytes) {
    }

    private void measure(Report report, Path folder) throws IOException {
        List<Timings> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            runs.add(once(folder));
        }
        String n = String.format("%,d", rows);
        double recordWrite = median(runs, Timings::recordWrite);
        double columnWrite = median(runs, Timings::columnWrite);
        double jsonWrite = median(runs, Timings::jsonWrite);
        double tableRead = median(runs, Timings::tableRead);
        double recordRead = median(runs, Timings::recordRead);
        double jsonRead = median(runs, Timings::jsonRead);
        long arrowBytes = runs.get(0).arrowBytes();
        long jsonBytes = runs.get(0).jsonBytes();
        String peer = "Jackson JSON Lines";
        Figure writeRecords = Figure.of("Arrow write " + n + " records", rows / recordWrite, "rows/s")
                .withPeer(peer, rows / jsonWrite);
        Figure writeColumns = Figure.of("Arrow write " + n + " rows, column filler", rows / columnWrite, "rows/s")
                .withPeer(peer, rows / jsonWrite);
        Figure readTables = Figure.of("Arrow read " + n + " rows as Tablesaw tables", rows / tableRead, "rows/s")
                .withPeer(peer, rows / jsonRead);
        Figure readRecords = Figure.of("Arrow read " + n + " rows as records", rows / recordRead, "rows/s")
                .withPeer(peer, rows / jsonRead);
        report.add(writeRecords);
        report.add(writeColumns);
        report.add(Figure.of("Arrow write from records", arrowBytes / recordWrite / 1e6, "MB/s")
                .withPeer(peer, jsonBytes / jsonWrite / 1e6));
        report.add(Figure.of("file size per row", arrowBytes / (double) rows, "bytes").withPeer(peer, jsonBytes / (double) rows));
        report.add(readTables);
        report.add(readRecords);
        report.add(Figure.of("Arrow read as Tablesaw tables", arrowBytes / tableRead / 1e6, "MB/s")
                .withPeer(peer, jsonBytes / jsonRead / 1e6));
        double aggregate = median(runs, Timings::aggregate);
        report.add(Figure.of("DuckDB count/sum/avg over " + n + " Arrow rows", aggregate * 1000, "ms"));
        report.add(Figure.of("DuckDB scan of the Arrow dataset", rows / aggregate, "rows/s"));
        Path chart = Chart.bars(results.resolve("stream.svg"), String.format("%s (long, double) rows: Arrow vs JSON Lines%s",
                n, repeat > 1 ? ", medians of " + repeat : ""), "million rows/s",
                List.of(writeRecords, writeColumns, readTables, readRecords),
                List.of("write records", "write columns", "read Tablesaw", "read records"), 1e6, "Arrow");
        System.out.println("Wrote " + chart);
    }

    private static double median(List<Timings> runs, ToDoubleFunction<Timings> step) {
        return Figure.median(runs.stream().mapToDouble(step).toArray());
    }

    private Timings once(Path folder) throws IOException {
        Path arrowFile = folder.resolve("points.arrow");
        Path jsonFile = folder.resolve("points.jsonl");

        long start = System.nanoTime();
        Dataset fromRecords = Datasets.writer(arrowFile).writeRecords(points(rows), Point.class);
        double recordWrite = seconds(start);
        settle(arrowFile);

        start = System.nanoTime();
        Dataset fromColumns = Datasets.writer(folder.resolve("filled.arrow")).writeColumns(POINTS, filler(rows));
        double columnWrite = seconds(start);
        Files.delete(fromColumns.path());

        start = System.nanoTime();
        long written = JsonLines.write(points(rows), jsonFile);
        double jsonWrite = seconds(start);
        long jsonBytes = Files.size(jsonFile);
        settle(jsonFile);
        check(written == rows && fromRecords.rows() == rows && fromColumns.rows() == rows, "row counts differ");

        double expected = 0.5 * rows * (rows - 1) / 2;
        start = System.nanoTime();
        double tableSum = 0;
        for (Table batch : fromRecords.read().tables()) {
            tableSum += batch.doubleColumn("value").sum();
        }
        double tableRead = seconds(start);

        start = System.nanoTime();
        double recordSum = 0;
        for (Point point : fromRecords.read().rows(Point.class)) {
            recordSum += point.value();
        }
        double recordRead = seconds(start);

        start = System.nanoTime();
        double jsonSum;
        try (Stream<Point> lines = JsonLines.read(jsonFile, Point.class)) {
            jsonSum = lines.mapToDouble(Point::value).sum();
        }
        double jsonRead = seconds(start);
        check(tableSum == expected && recordSum == expected && jsonSum == expected, "sums differ");
        Files.delete(jsonFile);

        double aggregate;
        try (ArrowSql sql = ArrowSql.open().register("points", fromRecords)) {
            start = System.nanoTime();
            Table result = sql.query("SELECT count(*) AS n, sum(value) AS total, avg(id) AS mean FROM points");
            aggregate = seconds(start);
            check(result.longColumn("n").get(0) == rows, "DuckDB count differs");
        }
        Files.delete(arrowFile);
        System.out.printf("  repetition: write %.1f / %.1f / %.1f s (records, columns, JSON), read %.1f / %.1f / %.1f s"
                + " (tables, records, JSON), DuckDB %.2f s%n", recordWrite, columnWrite, jsonWrite, tableRead, recordRead,
                jsonRead, aggregate);
        return new Timings(recordWrite, columnWrite, jsonWrite, tableRead, recordRead, jsonRead, aggregate,
                fromRecords.bytes(), jsonBytes);
    }

    /**
     * Forces a written file to disk, outside the timed section, so that the next measurement does not compete
     * with the kernel writing this file back.
     */
    private static void settle(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** A column filler writing the same rows as {@link #points(long)} from primitive loops. */
    static io.queuack.arrow.ColumnFiller filler(long total) {
        long[] next = {0};
        return batch -> {
            BigIntVector ids = batch.vector("id", BigIntVector.class);
            Float8Vector values = batch.vector("value", Float8Vector.class);
            int count = (int) Math.min(batch.capacity(), total - next[0]);
            for (int i = 0; i < count; i++) {
                long id = next[0]++;
                ids.set(i, id);
                values.set(i, id * 0.5);
            }
            return count;
        };
    }

    private static void warmUp(Path folder) throws IOException {
        Path file = folder.resolve("warm.arrow");
        for (int i = 0; i < 5; i++) {
            Datasets.writer(file).writeColumns(POINTS, filler(2_000_000));
            Dataset dataset = Datasets.writer(file).writeRecords(points(2_000_000), Point.class);
            for (Table ignored : dataset.read().tables()) {
                continue;
            }
            for (Point ignored : dataset.read().rows(Point.class)) {
                continue;
            }
            JsonLines.write(points(200_000), folder.resolve("warm.jsonl"));
            try (Stream<Point> lines = JsonLines.read(folder.resolve("warm.jsonl"), Point.class)) {
                lines.forEach(point -> { });
            }
        }
        Files.delete(file);
        Files.delete(folder.resolve("warm.jsonl"));
        Files.writeString(folder.resolve("README"), "scratch space of the stream benchmark\n", StandardCharsets.UTF_8);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void delete(Path folder) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
