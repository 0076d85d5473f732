package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ArrowSqlTest {

    public record Sale(long id, String region, double amount, LocalDate day) {
        public record Partial(long id, double amount) {
        }
    }

    public record Region(String region, String manager) {
    }

    @TempDir
    Path dir;
    Dataset sales;
    Dataset regions;

    static final List<String> NAMES = List.of("north", "south", "east", "west");

    @BeforeEach
    void write() {
        sales = Datasets.writer(dir.resolve("sales.arrow")).batchSize(7_000).writeRecords(LongStream.range(0, 100_000)
                .mapToObj(i -> new Sale(i, NAMES.get((int) (i % 4)), i % 10, LocalDate.of(2024, 1, 1).plusDays(i % 31))),
                Sale.class);
        regions = Datasets.writer(dir.resolve("regions.arrow")).format(IpcFormat.STREAM).writeRecords(
                List.of(new Region("north", "Ann"), new Region("south", "Bo"), new Region("east", "Cy")), Region.class);
    }

    @Test
    void joinsAndAggregatesOverTwoDatasetsIntoATablesawTable() {
        try (ArrowSql sql = ArrowSql.open().register("sales", sales).register("regions", regions)) {
            Table table = sql.query("SELECT r.manager, count(*) AS n, sum(s.amount) AS total, max(s.day) AS last_day"
                    + " FROM sales s JOIN regions r USING (region) GROUP BY r.manager ORDER BY r.manager");

            assertEquals(List.of("manager", "n", "total", "last_day"), table.columnNames());
            assertEquals(List.of("Ann", "Bo", "Cy"), table.stringColumn("manager").asList());
            assertEquals(25_000L, table.longColumn("n").get(0));
            assertEquals(25_000 / 5 * (0 + 4 + 8 + 2 + 6), table.doubleColumn("total").get(0), "north: ids 0, 4, 8, ...");
            assertEquals(LocalDate.of(2024, 1, 31), table.dateColumn("last_day").get(0));

            Table again = sql.query("SELECT count(*) AS n FROM sales");
            assertEquals(100_000L, again.longColumn("n").get(0), "a dataset can be queried again");
        }
    }

    @Test
    void hugeIntegerSumsComeBackAsDecimals() {
        try (ArrowSql sql = ArrowSql.open().register("sales", sales)) {
            Table table = sql.query("SELECT sum(id) AS ids FROM sales");
            assertEquals(100_000.0 * 99_999 / 2, table.doubleColumn("ids").get(0));
        }
    }

    @Test
    void exportWritesTheResultStraightIntoANewDataset() {
        try (ArrowSql sql = ArrowSql.open().register("sales", sales)) {
            Dataset north = sql.export("SELECT id, amount FROM sales WHERE region = 'north' ORDER BY id",
                    dir.resolve("out/north.arrow"));

            assertEquals(25_000, north.rows());
            assertEquals(List.of("id", "amount"), north.schema().names());
            long expectedId = 0;
            for (Sale.Partial row : north.read().rows(Sale.Partial.class)) {
                assertEquals(expectedId, row.id());
                expectedId += 4;
            }
        }
    }

    @Test
    void parquetRoundTripThroughDuckDb() {
        Path parquet = dir.resolve("sales.parquet");
        try (ArrowSql sql = ArrowSql.open().register("sales", sales)) {
            sql.execute("COPY (SELECT * FROM sales) TO '" + parquet + "' (FORMAT parquet)");
            Dataset back = sql.export("SELECT * FROM read_parquet('" + parquet + "') ORDER BY id", dir.resolve("back.arrow"));
            assertEquals(sales.schema().names(), back.schema().names());
            assertEquals(100_000, back.rows());
        }
    }

    @Test
    void badSqlIsAClearErrorAndTheSessionStaysUsable() {
        try (ArrowSql sql = ArrowSql.open().register("sales", sales)) {
            long arrowMemoryBefore = Datasets.nativeMemoryInUse();
            DatasetException e = assertThrows(DatasetException.class, () -> sql.query("SELECT nope FROM sales"));
            assertTrue(e.getMessage().startsWith("DuckDB refused the SQL:"), e.getMessage());
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
            assertTrue(e.getMessage().contains("Registered datasets: [sales]"), e.getMessage());
            assertEquals(100_000L, sql.query("SELECT count(*) AS n FROM sales").longColumn("n").get(0));
            NativeMemory.assertFreedTo(arrowMemoryBefore, "the failed query freed what it allocated");
        }
        assertThrows(IllegalArgumentException.class, () -> ArrowSql.open().register("drop table", sales));
    }

    @Test
    void decimalsAndUnsupportedTypes() {
        try (ArrowSql sql = ArrowSql.open()) {
            Table table = sql.query("SELECT 12.345::DECIMAL(10,3) AS price");
            assertEquals(12.345, table.doubleColumn("price").get(0), 1e-12);
            DatasetException e = assertThrows(DatasetException.class, () -> sql.query("SELECT [1, 2] AS list"));
            assertTrue(e.getMessage().contains("cast the column in SQL"), e.getMessage());
            Dataset exact = sql.export("SELECT 12.345::DECIMAL(10,3) AS price", dir.resolve("d.arrow"));
            try (java.util.stream.Stream<Price> prices = exact.read().stream(Price.class)) {   // closed: read one row only
                assertEquals(new BigDecimal("12.345"), prices.findFirst().orElseThrow().price());
            }
        }
    }

    public record Price(BigDecimal price) {
    }
}
