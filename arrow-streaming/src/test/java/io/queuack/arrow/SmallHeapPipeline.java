package io.queuack.arrow;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.job.RunStatus;
import java.nio.file.Path;
import java.util.stream.LongStream;
import tech.tablesaw.api.Table;

/**
 * Child JVM program for {@link ConstantMemoryTest}: a DAG whose generator streams {@code rows} rows through
 * Arrow into a downstream task that reads them back as Tablesaw tables. Prints the totals and memory peaks.
 */
public final class SmallHeapPipeline {

    public record Reading(long sensor, double value, String label) {
    }

    private SmallHeapPipeline() {
    }

    public static void main(String[] args) {
        Path queueFile = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        try (Queuack queue = Queuack.open(queueFile)) {
            Dag dag = Dag.builder("big")
                    .task("readings", Generator.of(Reading.class).rows(ctx -> LongStream.range(0, rows)
                            .mapToObj(i -> new Reading(i, i * 0.25, (i % 7 == 0) ? "seven" : "other"))))
                    .task("sum", ctx -> {
                        double sum = 0;
                        long sevens = 0;
                        for (Table batch : ctx.upstream("readings", Dataset.class).read().tables()) {
                            sum += batch.doubleColumn("value").sum();
                            sevens += batch.stringColumn("label").isEqualTo("seven").size();
                        }
                        return sum + "/" + sevens;
                    }).after("readings")
                    .build();
            DagRun run = queue.run(dag);
            if (run.status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("run failed: " + run.errors());
            }
            Dataset readings = run.result("readings", Dataset.class);
            Runtime runtime = Runtime.getRuntime();
            System.out.println("ROWS " + readings.rows());
            System.out.println("BYTES " + readings.bytes());
            System.out.println("RESULT " + run.result("sum", String.class));
            System.out.println("MAXHEAP " + runtime.maxMemory());
            System.out.println("NATIVEPEAK " + Datasets.nativeMemoryPeak());
        }
    }
}
