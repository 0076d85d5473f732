package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.job.RunStatus;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The README's streaming example, as written there, so that it keeps compiling and working. */
class ReadmeStreamingExampleTest {

    record Reading(long sensor, double value) {
    }

    @TempDir
    Path dir;

    @Test
    void streamingExampleRunsAsDocumented() {
        try (Queuack queue = Queuack.open(dir.resolve("jobs.duckdb"))) {
            Dag sensors = Dag.builder("sensors")
                    .task("readings", Generator.of(Reading.class).rows(ctx ->
                            LongStream.range(0, 5_000_000).mapToObj(i -> new Reading(i % 100, i * 0.001))))
                    .task("mean", ctx -> {
                        double sum = 0;
                        long rows = 0;
                        for (Table batch : ctx.upstream("readings", Dataset.class).read().columns("value").tables()) {
                            sum += batch.doubleColumn("value").sum();
                            rows += batch.rowCount();
                        }
                        return sum / rows;
                    }).after("readings")
                    .build();

            DagRun sensorRun = queue.run(sensors);
            assertEquals(RunStatus.SUCCEEDED, sensorRun.status(), () -> sensorRun.errors().toString());
            assertEquals(0.001 * (5_000_000 - 1) / 2, sensorRun.result("mean", Double.class), 1e-6);
            Dataset readings = sensorRun.result("readings", Dataset.class);
            try (ArrowSql sql = ArrowSql.open().register("readings", readings)) {
                Table means = sql.query("SELECT sensor, avg(value) AS mean FROM readings GROUP BY sensor LIMIT 3");
                assertEquals(3, means.rowCount());
                assertEquals(java.util.List.of("sensor", "mean"), means.columnNames());
            }
        }
    }
}
