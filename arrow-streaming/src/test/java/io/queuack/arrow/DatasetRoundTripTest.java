package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tech.tablesaw.api.Table;

class DatasetRoundTripTest {

    /** One component of every supported type, primitive and boxed. */
    public record Everything(byte b, short s, int i, long l, float f, double d, boolean flag,
            Byte boxedByte, Short boxedShort, Integer boxedInt, Long boxedLong, Float boxedFloat, Double boxedDouble,
            Boolean boxedFlag, String text, BigDecimal amount, LocalDate day, LocalDateTime at, Instant instant) {
    }

    public record Point(long id, double value) {
    }

    @TempDir
    Path dir;

    static Everything sample(int n) {
        boolean nulls = n % 3 == 0;
        return new Everything((byte) (n % 128), (short) (n * 3), n * 7, n * 1_000_000_007L, n / 4f, n / 3.0, n % 2 == 0,
                nulls ? null : (byte) -n, nulls ? null : (short) -n, nulls ? null : -n, nulls ? null : Long.MIN_VALUE + n,
                nulls ? null : -n / 2f, nulls ? null : Math.PI * n, nulls ? null : n % 2 == 1,
                nulls ? null : "row " + n + " ünïcødé ✓", nulls ? null : new BigDecimal("12345.6789").multiply(BigDecimal.valueOf(n)).setScale(Column.DEFAULT_SCALE),
                nulls ? null : LocalDate.of(1969, 12, 31).plusDays(n), nulls ? null : LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000).minusDays(n),
                nulls ? null : Instant.parse("1960-01-01T00:00:00.000001Z").plusSeconds(n * 86_400L));
    }

    @ParameterizedTest
    @EnumSource(IpcFormat.class)
    void recordsOfEveryTypeAndNullComeBackEqual(IpcFormat format) throws Exception {
        List<Everything> rows = IntStream.range(0, 1_000).mapToObj(DatasetRoundTripTest::sample).toList();

        Dataset written = Datasets.writer(dir.resolve("all.arrow")).format(format).batchSize(128)
                .writeRecords(rows.stream(), Everything.class);

        assertEquals(1_000, written.rows());
        assertEquals(8, written.batches());
        assertEquals(format, written.format());
        assertEquals(Files.size(written.path()), written.bytes());
        assertEquals(DatasetSchema.ofRecord(Everything.class), written.schema());
        List<Everything> read = new ArrayList<>();
        written.read().rows(Everything.class).forEach(read::add);
        assertEquals(rows, read);
        assertEquals(1_000, written.read().rowCount());
        assertEquals(8, written.read().batchCount());
        assertEquals(written.schema(), written.read().schema());
    }

    @Test
    void tablesHaveOneTablesawColumnPerColumnWithNullsAsMissing() {
        List<Everything> rows = IntStream.range(0, 300).mapToObj(DatasetRoundTripTest::sample).toList();
        Dataset written = Datasets.writer(dir.resolve("all.arrow")).batchSize(100).writeRecords(rows, Everything.class);

        List<Table> tables = new ArrayList<>();
        written.read().tables().forEach(tables::add);

        assertEquals(3, tables.size());
        Table first = tables.get(0);
        assertEquals(100, first.rowCount());
        assertEquals(DatasetSchema.ofRecord(Everything.class).names(), first.columnNames());
        assertEquals(7L * 1_000_000_007L, first.longColumn("l").get(7));
        assertEquals("row 7 ünïcødé ✓", first.stringColumn("text").get(7));
        assertTrue(first.stringColumn("text").isMissing(6), "a null string is a missing value");
        assertTrue(first.doubleColumn("boxedDouble").isMissing(3));
        assertEquals(Math.PI * 4, first.doubleColumn("boxedDouble").get(4));
        assertEquals(LocalDate.of(1970, 1, 1), first.dateColumn("day").get(1));
        // Tablesaw keeps date-times and instants to the millisecond
        assertEquals(sample(5).at().truncatedTo(ChronoUnit.MILLIS), first.dateTimeColumn("at").get(5));
        assertEquals(sample(5).instant().truncatedTo(ChronoUnit.MILLIS), first.instantColumn("instant").get(5));
        assertEquals(sample(5).amount().doubleValue(), first.doubleColumn("amount").get(5), 1e-9);
        assertEquals(Boolean.TRUE, first.booleanColumn("flag").get(4));
        assertEquals(-5, first.intColumn("boxedInt").get(5));
        assertEquals((short) 15, first.shortColumn("s").get(5));
        assertEquals((short) 5, first.shortColumn("b").get(5), "bytes widen to Tablesaw's short column");
        assertEquals(1.25f, first.floatColumn("f").get(5));
        assertEquals(300, written.read().toTable().rowCount());
    }

    @Test
    void projectionAndLimitReadOnlyWhatIsAsked() {
        Dataset written = Datasets.writer(dir.resolve("points.arrow")).batchSize(1_000)
                .writeRecords(LongStream.range(0, 10_000).mapToObj(i -> new Point(i, i * 0.5)), Point.class);

        Table table = written.read().columns("value").limit(2_500).toTable();

        assertEquals(List.of("value"), table.columnNames());
        assertEquals(2_500, table.rowCount());
        assertEquals(2_499 * 0.5, table.doubleColumn("value").get(2_499));
        assertEquals(2_500, written.read().limit(2_500).rowCount());
        int seen = 0;
        for (Point point : written.read().limit(1_234).rows(Point.class)) {
            assertEquals(seen++ * 0.5, point.value());
        }
        assertEquals(1_234, seen);
        assertEquals(0, written.read().limit(0).toTable().rowCount());
    }

    @Test
    void mapRowsWithInferredSchema() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", i);
            row.put("name", i % 5 == 0 ? null : "n" + i);
            row.put("score", i * 1.5);
            rows.add(row);
        }

        Dataset written = Datasets.writer(dir.resolve("maps.arrow")).batchSize(16).writeMaps(rows);

        assertEquals(50, written.rows());
        assertEquals(ColumnType.LONG, written.schema().column("id").orElseThrow().type());
        assertEquals(ColumnType.STRING, written.schema().column("name").orElseThrow().type());
        assertEquals(ColumnType.DOUBLE, written.schema().column("score").orElseThrow().type());
        Table table = written.read().toTable();
        assertEquals(49L, table.longColumn("id").get(49));
        assertTrue(table.stringColumn("name").isMissing(5));
        assertEquals("n6", table.stringColumn("name").get(6));
    }

    @Test
    void columnFillerWritesStraightIntoVectors() {
        DatasetSchema schema = DatasetSchema.of(Column.of("id", ColumnType.LONG), Column.of("value", ColumnType.DOUBLE));
        long total = 100_001;
        long[] next = {0};

        Dataset written = Datasets.writer(dir.resolve("filled.arrow")).batchSize(10_000).writeColumns(schema, batch -> {
            BigIntVector ids = batch.vector("id", BigIntVector.class);
            Float8Vector values = batch.vector("value", Float8Vector.class);
            int rows = (int) Math.min(batch.capacity(), total - next[0]);
            for (int i = 0; i < rows; i++) {
                ids.set(i, next[0]);
                values.set(i, next[0]++ * 2.0);
            }
            return rows;
        });

        assertEquals(total, written.rows());
        assertEquals(11, written.batches());
        long sum = 0;
        for (Point point : written.read().rows(Point.class)) {
            assertEquals(point.id() * 2.0, point.value());
            sum += point.id();
        }
        assertEquals(total * (total - 1) / 2, sum);
    }

    @Test
    void emptyInputWritesAnEmptyDatasetWithItsSchema() {
        Dataset written = Datasets.writer(dir.resolve("empty.arrow")).writeRecords(Stream.<Point>empty(), Point.class);

        assertEquals(0, written.rows());
        assertEquals(0, written.batches());
        Table table = written.read().toTable();
        assertEquals(List.of("id", "value"), table.columnNames());
        assertEquals(0, table.rowCount());
        assertFalse(written.read().rows(Point.class).iterator().hasNext());
    }
}
