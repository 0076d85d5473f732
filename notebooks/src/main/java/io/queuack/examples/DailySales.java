package io.queuack.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import io.queuack.Backoff;
import io.queuack.TaskContext;
import io.queuack.dag.Dag;
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

/**
 * A small ETL pipeline as a DAG: extract the regions that have sales for a day, transform each region in
 * parallel (a fan-out), load a CSV report (the fan-in), and flag weak regions only when there are any (a
 * conditional task). The data is generated, seeded by the day, so runs are repeatable.
 *
 * <p>Run parameters: {@code day} (any text, for example 2026-11-23), {@code orders} (orders per region),
 * {@code report} (the CSV file to write).
 */
public final class DailySales {

    /** One region's sales for the day. */
    public record RegionSales(String region, int orders, double revenue) {
    }

    /** Regions whose revenue per order is below this are flagged. */
    static final double WEAK_AVERAGE_ORDER = 250.0;
    private static final List<String> REGIONS = List.of("north", "south", "east", "west", "central", "islands");
    private static final TypeReference<List<RegionSales>> ROWS = new TypeReference<>() { };

    private DailySales() {
    }

    /** @return the pipeline: extract → transform (one task per region) → load, and flag_weak_regions */
    public static Dag dag() {
        return Dag.builder("daily_sales")
                .description("Extract the day's regions, transform each in parallel, load a CSV report")
                .task("extract", DailySales::extract)
                    .retries(2).backoff(Backoff.fixed(Duration.ofMillis(200)))
                .map("transform", "extract", String.class, DailySales::transform)
                .task("load", DailySales::load).after("transform")
                .task("flag_weak_regions", ctx -> weakRegions(ctx).stream().map(RegionSales::region).toList())
                    .after("transform").when(ctx -> !weakRegions(ctx).isEmpty())
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

    private static RegionSales transform(TaskContext ctx, String region) {
        String day = ctx.parameter("day", String.class);
        int orders = ctx.parameterOr("orders", Integer.class, 10_000);
        SplittableRandom random = new SplittableRandom((day + "/" + region).hashCode());
        double revenue = 0;
        for (int i = 0; i < orders; i++) {
            revenue += 5 + random.nextDouble(region.length() * 90.0);
        }
        return new RegionSales(region, orders, Math.round(revenue * 100) / 100.0);
    }

    private static String load(TaskContext ctx) throws IOException {
        List<RegionSales> rows = new ArrayList<>(ctx.upstream("transform", ROWS));
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
        return ctx.upstream("transform", ROWS).stream()
                .filter(row -> row.revenue() / row.orders() < WEAK_AVERAGE_ORDER).toList();
    }
}
