package io.queuack.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.arrow.Dataset;
import io.queuack.arrow.Generator;
import io.queuack.dag.Dag;
import io.queuack.job.Backoff;
import io.queuack.job.TaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * A small ETL pipeline as a DAG: extract the regions that have sales for a day, generate each region's
 * orders in parallel (a fan-out whose tasks stream their rows into Arrow datasets at constant memory),
 * summarise them by reading the datasets back lazily as Tablesaw tables (the fan-in), load a CSV report,
 * and flag weak regions only when there are any (a conditional task). The data is generated, seeded by
 * the day, so runs are repeatable.
 *
 * <p>Run parameters: {@code day} (any text, for example 2026-11-23), {@code orders} (orders per region),
 * {@code report} (the CSV file to write).
 */
public final class DailySales {

    /** One order: the rows the fan-out streams into Arrow. */
    public record Order(long id, String region, double amount, boolean returned) {
    }

    /** One region's sales for the day: orders kept (not returned) and their revenue. */
    public record RegionSales(String region, int orders, double revenue) {
    }

    /** Regions whose revenue per order is below this are flagged. */
    static final double WEAK_AVERAGE_ORDER = 250.0;
    private static final List<String> REGIONS = List.of("north", "south", "east", "west", "central", "islands");
    private static final TypeReference<List<RegionSales>> ROWS = new TypeReference<>() { };
    private static final TypeReference<List<Dataset>> DATASETS = new TypeReference<>() { };

    private DailySales() {
    }

    /**
     * @return the pipeline: extract → orders (one Arrow-writing task per region) → summarise → load, and
     *         flag_weak_regions
     */
    public static Dag dag() {
        return Dag.builder("daily_sales")
                .description("Extract the day's regions, stream each region's orders to Arrow, summarise, load a CSV")
                .task("extract", DailySales::extract)
                    .retries(2).backoff(Backoff.fixed(Duration.ofMillis(200)))
                .map("orders", "extract", String.class, Generator.of(Order.class).perElement(DailySales::orders))
                .task("summarise", DailySales::summarise).after("orders")
                .task("load", DailySales::load).after("summarise")
                .task("flag_weak_regions", ctx -> weakRegions(ctx).stream().map(RegionSales::region).toList())
                    .after("summarise").when(ctx -> !weakRegions(ctx).isEmpty())
                .build();
    }

    /** The source answers on the second attempt: the run shows a retry. */
    private static List<String> extract(TaskContext ctx) throws IOException {
        if (ctx.attempt() == 1) {
            throw new IOException("sales source not ready (simulated: the first attempt always fails)");
        }
        ctx.progress(1.0, "found " + REGIONS.size() + " regions");
        return REGIONS;
    }

    /** A region's orders, generated one at a time: the generator writes them to Arrow batch by batch. */
    private static Stream<Order> orders(TaskContext ctx, String region) {
        String day = ctx.parameter("day", String.class);
        int orders = ctx.parameterOr("orders", Integer.class, 10_000);
        SplittableRandom random = new SplittableRandom((day + "/" + region).hashCode());
        return LongStream.range(0, orders).mapToObj(id -> new Order(id, region,
                5 + random.nextDouble(region.length() * 90.0), random.nextInt(50) == 0));
    }

    /** Reads every region's dataset lazily, one Tablesaw table per batch, only the columns it needs. */
    private static List<RegionSales> summarise(TaskContext ctx) {
        List<RegionSales> sales = new ArrayList<>();
        for (Dataset region : ctx.upstream("orders", DATASETS)) {
            String name = null;
            int kept = 0;
            double revenue = 0;
            for (Table batch : region.read().columns("region", "amount", "returned").tables()) {
                name = batch.stringColumn("region").get(0);
                Table keptOrders = batch.where(batch.booleanColumn("returned").isFalse());
                kept += keptOrders.rowCount();
                revenue += keptOrders.doubleColumn("amount").sum();
            }
            sales.add(new RegionSales(name, kept, Math.round(revenue * 100) / 100.0));
        }
        ctx.progress(1.0, "read " + sales.stream().mapToInt(RegionSales::orders).sum() + " orders");
        return sales;
    }

    private static String load(TaskContext ctx) throws IOException {
        List<RegionSales> rows = new ArrayList<>(ctx.upstream("summarise", ROWS));
        rows.sort(Comparator.comparingDouble(RegionSales::revenue).reversed());
        List<String> lines = new ArrayList<>();
        lines.add("region,orders,revenue");
        rows.forEach(row -> lines.add(String.format(Locale.ROOT, "%s,%d,%.2f", row.region(), row.orders(),
                row.revenue())));
        Path report = Path.of(ctx.parameter("report", String.class));
        Files.write(report, lines, StandardCharsets.UTF_8);
        return report.toString();
    }

    private static List<RegionSales> weakRegions(TaskContext ctx) {
        return ctx.upstream("summarise", ROWS).stream()
                .filter(row -> row.revenue() / row.orders() < WEAK_AVERAGE_ORDER).toList();
    }
}
