package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {

    public record Order(long id, String customer, Double discount, BigDecimal total, LocalDate day, LocalDateTime at,
            Instant seen, boolean paid) {
    }

    @TempDir
    Path dir;

    static List<Order> orders(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Order(i, i % 5 == 0 ? null : i % 7 == 0 ? "" : "c,\"" + i + "\"\nline",
                i % 3 == 0 ? null : i / 8.0, new BigDecimal(i + ".5000000000"), LocalDate.of(2024, 3, 1).plusDays(i),
                LocalDateTime.of(2024, 3, 1, 12, 0, 0, 123_456_000).plusMinutes(i), Instant.ofEpochSecond(1_700_000_000L + i, 1_000),
                i % 2 == 0)).toList();
    }

    @Test
    void jsonLinesRoundTripThroughArrowKeepsEveryValue() {
        List<Order> orders = orders(2_000);
        Dataset dataset = Datasets.writer(dir.resolve("orders.arrow")).batchSize(300).writeRecords(orders, Order.class);

        long written = JsonLines.write(dataset.read().stream(Order.class), dir.resolve("orders.jsonl"));
        Dataset back = JsonLines.toDataset(dir.resolve("orders.jsonl"), Order.class, dir.resolve("back.arrow"));

        assertEquals(2_000, written);
        try (Stream<Order> rows = back.read().stream(Order.class)) {
            assertEquals(orders, rows.toList());
        }
    }

    @Test
    void csvRoundTripKeepsTypesAndNulls() {
        List<Order> orders = orders(500);
        Path csv = dir.resolve("orders.csv");

        assertEquals(500, Csv.write(orders.stream(), Order.class, csv));
        try (Stream<Order> rows = Csv.read(csv, Order.class)) {
            assertEquals(orders, rows.toList());
        }
        Dataset dataset = Csv.toDataset(csv, Order.class, dir.resolve("orders.arrow"));
        assertEquals(500, dataset.rows());
    }

    @Test
    void parquetRoundTripThroughDuckDb() throws IOException {
        List<Order> orders = orders(3_000);
        Dataset dataset = Datasets.writer(dir.resolve("orders.arrow")).writeRecords(orders, Order.class);

        Path parquet = Parquet.write(dataset, dir.resolve("it's.parquet"));
        Dataset back = Parquet.toDataset(parquet, dir.resolve("back.arrow"));

        assertTrue(Files.size(parquet) < dataset.bytes(), "Parquet is compressed");
        try (Stream<Order> rows = back.read().stream(Order.class)) {
            assertEquals(orders, rows.toList());
        }
    }

    @Test
    void invalidJsonNamesTheLineAndAFailedWriteLeavesNoFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":1,\"customer\":\"a\",\"paid\":true}\n{\"id\": oops}\n");
        DatasetException e = assertThrows(DatasetException.class, () -> {
            try (Stream<Order> rows = JsonLines.read(file, Order.class)) {
                rows.forEach(row -> { });
            }
        });
        assertTrue(e.getMessage().startsWith("Invalid JSON Lines at line 2 of " + file), e.getMessage());

        Path target = dir.resolve("never.jsonl");
        assertThrows(IllegalStateException.class, () -> JsonLines.write(orders(10).stream().peek(order -> {
            if (order.id() == 5) {
                throw new IllegalStateException("source failed");
            }
        }), target));
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("never.jsonl.partial")));
    }

    @Test
    void aCsvValueThatDoesNotParseNamesTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.csv"), "id,customer,paid\n1,a,true\nx,b,false\n");
        DatasetException e = assertThrows(DatasetException.class, () -> {
            try (Stream<Order> rows = Csv.read(file, Order.class)) {
                rows.forEach(row -> { });
            }
        });
        assertTrue(e.getMessage().startsWith("Invalid CSV at line 3"), e.getMessage());
    }
}
