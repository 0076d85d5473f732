package io.queuack.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BadInputTest {

    public record Point(long id, double value) {
    }

    public record Named(long id, String name) {
    }

    @TempDir
    Path dir;

    Dataset points(IpcFormat format) {
        return Datasets.writer(dir.resolve("points." + format)).format(format).batchSize(1_000)
                .writeRecords(LongStream.range(0, 10_000).mapToObj(i -> new Point(i, i)), Point.class);
    }

    static String readAll(Path path) {
        DatasetReader reader = Datasets.read(path);
        long rows = 0;
        for (Point ignored : reader.rows(Point.class)) {
            rows++;
        }
        return "read " + rows;
    }

    @ParameterizedTest
    @EnumSource(IpcFormat.class)
    void aTruncatedFileIsReportedAsIncomplete(IpcFormat format) throws IOException {
        Path path = points(format).path();
        byte[] bytes = Files.readAllBytes(path);
        for (int cut : new int[] {bytes.length - 3, bytes.length - 200, bytes.length / 2, 20}) {
            Path truncated = dir.resolve("cut-" + cut);
            Files.write(truncated, java.util.Arrays.copyOf(bytes, cut));

            DatasetException e = assertThrows(DatasetException.class, () -> readAll(truncated));

            assertTrue(e.getMessage().contains("not a complete Arrow IPC file") || e.getMessage().contains("not a readable"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("write it again"), e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotArrowSaysSo() throws IOException {
        Path csv = Files.writeString(dir.resolve("data.arrow"), "id,value\n1,2\n3,4\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.read(csv).rowCount());
        assertTrue(e.getMessage().contains("is not"), e.getMessage());
        assertTrue(e.getMessage().contains(csv.toString()), e.getMessage());
    }

    @Test
    void damagedBytesInsideABatchHeaderAreCaught() throws IOException {
        Path path = points(IpcFormat.FILE).path();
        byte[] bytes = Files.readAllBytes(path);
        for (int i = 8; i < 400; i++) {
            bytes[i] = (byte) 0xEE;
        }
        Path damaged = Files.write(dir.resolve("damaged.arrow"), bytes);
        assertThrows(DatasetException.class, () -> readAll(damaged));
    }

    @ParameterizedTest
    @EnumSource(IpcFormat.class)
    void damagedBytesInsideABatchBodyAreCaughtByTheChecksum(IpcFormat format) throws IOException {
        Path path = points(format).path();
        byte[] original = Files.readAllBytes(path);
        int caught = 0;
        int tries = 0;
        for (int at = original.length / 10; at < original.length * 9 / 10; at += original.length / 25) {
            byte[] bytes = original.clone();
            for (int i = at; i < at + 1024 && i < bytes.length; i++) {
                bytes[i] ^= 0x5A;
            }
            Path damaged = Files.write(dir.resolve("damaged-" + at + "." + format), bytes);
            tries++;
            try {
                readAll(damaged);
            } catch (DatasetException e) {
                caught++;
                assertTrue(e.getMessage().contains("damaged") || e.getMessage().contains("not a complete"),
                        e.getMessage());
            }
        }
        assertEquals(tries, caught, "every damaged kilobyte is caught, none read back as wrong values");
        Path oneBit = Files.write(dir.resolve("one-bit." + format), flipOneBitInTheMiddle(original));
        DatasetException body = assertThrows(DatasetException.class, () -> readAll(oneBit));
        assertTrue(body.getMessage().contains("does not match the checksum written with it"), body.getMessage());
        try (ArrowSql sql = ArrowSql.open().register("points", oneBit)) {
            DatasetException query = assertThrows(DatasetException.class,
                    () -> sql.query("SELECT sum(value) AS total FROM points"));
            assertTrue(query.getMessage().contains("does not match the checksum"), query.getMessage());
        }
    }

    /** Flips one bit inside the data of the middle batch (past its header), where only a checksum sees it. */
    private static byte[] flipOneBitInTheMiddle(byte[] original) {
        byte[] bytes = original.clone();
        bytes[bytes.length / 2] ^= 1;
        return bytes;
    }

    @Test
    void aMissingDatasetPointsAtTheWriterThatDidNotFinish() throws IOException {
        Path path = dir.resolve("gone.arrow");
        Files.writeString(dir.resolve("gone.arrow.partial"), "half");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.read(path).rowCount());
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }

    @Test
    void mapRowsThatDisagreeWithTheSchemaNameTheRowAndColumnAndLeaveNoFile() {
        Stream<Map<String, Object>> rows = LongStream.range(0, 100).mapToObj(i -> {
            Map<String, Object> row = new HashMap<>();
            row.put("id", i == 70 ? "seventy" : (Object) i);
            return row;
        });
        Path target = dir.resolve("ids.arrow");
        long arrowMemoryBefore = Datasets.nativeMemoryInUse();

        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.writer(target).batchSize(16).writeMaps(rows));

        assertEquals("Row 70, column 'id': a LONG column needs an integral number (byte, short, int or long), got String"
                + " \"seventy\"", e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("ids.arrow.partial")));
        NativeMemory.assertFreedTo(arrowMemoryBefore, "the batch's vectors were freed");
    }

    @Test
    void aKeyOutsideTheSchemaIsRejected() {
        List<Map<String, Object>> rows = List.of(Map.of("id", 1L), Map.of("id", 2L, "extra", "x"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.writer(dir.resolve("x.arrow")).batchSize(1).writeMaps(rows));
        assertTrue(e.getMessage().contains("Row 1 has key 'extra'"), e.getMessage());
    }

    @Test
    void nullInANotNullColumnIsRejected() {
        DatasetSchema schema = DatasetSchema.of(Column.of("id", ColumnType.LONG), Column.of("name", ColumnType.STRING));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.writer(dir.resolve("n.arrow"))
                .schema(schema).writeRecords(List.of(new Named(1, "a"), new Named(2, null)), Named.class));
        assertTrue(e.getMessage().startsWith("Row 1, column 'name': null in a NOT NULL column"), e.getMessage());

        Map<String, Object> missing = new HashMap<>();
        missing.put("id", 3L);
        DatasetException fromMap = assertThrows(DatasetException.class, () -> Datasets.writer(dir.resolve("m.arrow"))
                .schema(schema).writeMaps(List.of(missing)));
        assertTrue(fromMap.getMessage().contains("null or missing in a NOT NULL column"), fromMap.getMessage());
    }

    @Test
    void aNullReadIntoAPrimitiveComponentNamesTheRowAndSaysToBoxIt() {
        Map<String, Object> hole = new HashMap<>();
        hole.put("id", null);
        hole.put("value", 2.0);
        Dataset points = Datasets.writer(dir.resolve("holes.arrow")).schema(DatasetSchema.of(
                Column.nullable("id", ColumnType.LONG), Column.of("value", ColumnType.DOUBLE)))
                .writeMaps(List.of(Map.of("id", 1L, "value", 1.0), hole));

        DatasetException e = assertThrows(DatasetException.class, () -> points.read().rows(Point.class).forEach(p -> { }));

        assertEquals("Row 1, column 'id' is null, but component long id of Point cannot hold null; make it a boxed type",
                e.getMessage());
    }

    @Test
    void aNullInANotNullColumnIsReportedAsADamagedFile() throws IOException {
        Path path = dir.resolve("foreign.arrow");
        Schema schema = new Schema(List.of(
                new Field("id", FieldType
                        .notNullable(new ArrowType.Int(64, true)), null),
                new Field("value", FieldType
                        .notNullable(new ArrowType.FloatingPoint(
                                FloatingPointPrecision.DOUBLE)), null)));
        try (RootAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema,
                     allocator);
             FileChannel out = FileChannel.open(path,
                     StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             ArrowFileWriter writer = new ArrowFileWriter(root,
                     null, out)) {
            BigIntVector ids = (BigIntVector) root.getVector("id");
            Float8Vector values = (Float8Vector) root.getVector("value");
            ids.allocateNew(2);
            values.allocateNew(2);
            ids.set(0, 1);
            ids.setNull(1);
            values.set(0, 1.0);
            values.set(1, 2.0);
            root.setRowCount(2);
            writer.start();
            writer.writeBatch();
            writer.end();
        }

        DatasetException e = assertThrows(DatasetException.class, () -> readAll(path));

        assertTrue(e.getMessage().contains("declared NOT NULL but reads as null: the dataset file is damaged"),
                e.getMessage());
    }

    @Test
    void valuesThatDoNotFitTheirDeclaredColumnAreRejected() {
        DatasetSchema narrow = DatasetSchema.of(Column.of("small", ColumnType.BYTE), Column.decimal("price", 5, 2, true));
        assertTrue(assertThrows(DatasetException.class, () -> Datasets.writer(dir.resolve("a.arrow")).schema(narrow)
                .writeMaps(List.of(Map.of("small", 300)))).getMessage().contains("does not fit a BYTE column"));
        assertTrue(assertThrows(DatasetException.class, () -> Datasets.writer(dir.resolve("b.arrow")).schema(narrow)
                .writeMaps(List.of(Map.of("small", 1, "price", new BigDecimal("1.234"))))).getMessage()
                .contains("more than 2 digits after the point"));
        assertTrue(assertThrows(DatasetException.class, () -> Datasets.writer(dir.resolve("c.arrow")).schema(narrow)
                .writeMaps(List.of(Map.of("small", 1, "price", new BigDecimal("12345.6"))))).getMessage()
                .contains("more than 5 digits"));
    }

    @Test
    void aDeclaredSchemaThatDisagreesWithTheRecordIsRefusedBeforeAnythingIsWritten() {
        DatasetSchema wrong = DatasetSchema.of(Column.of("id", ColumnType.STRING));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.writer(
                dir.resolve("w.arrow")).schema(wrong).writeRecords(List.of(new Named(1, "a")), Named.class));
        assertEquals("Column 'id' is STRING in the schema, but component 'id' of Named is a long", e.getMessage());
        DatasetSchema unknown = DatasetSchema.of(Column.of("age", ColumnType.INT));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Datasets.writer(dir.resolve("u.arrow"))
                .schema(unknown).writeRecords(List.of(new Named(1, "a")), Named.class)).getMessage()
                .contains("record Named has no component of that name"));
        assertFalse(Files.exists(dir.resolve("w.arrow.partial")));
    }

    @Test
    void badArgumentsSayWhatIsAllowed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Datasets.writer(dir))
                .getMessage().contains("is a folder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Datasets.writer(dir.resolve("x")).batchSize(0))
                .getMessage().contains("between 1 and"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetSchema.ofRecord(String.class))
                .getMessage().contains("is not a record"));
        Dataset points = points(IpcFormat.FILE);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> points.read().columns("nope").toTable())
                .getMessage().contains("its columns are [id, value]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> points.read().rows(Named.class))
                .getMessage().contains("has component 'name', but the dataset has no such column"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> points.read().limit(-1))
                .getMessage().contains("cannot be negative"));
    }

    @Test
    void aJvmWithoutTheAddOpensFlagIsToldExactlyWhatToAdd() throws Exception {
        JavaChild.Outcome outcome = JavaChild.run(List.of(), OpensCheck.class, dir.resolve("x.arrow").toString());

        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("REFUSED Apache Arrow needs the JVM flag "
                + "--add-opens=java.base/java.nio=ALL-UNNAMED"), outcome.output());
        assertTrue(outcome.output().contains("kernel.json"), outcome.output());

        JavaChild.Outcome withFlag = JavaChild.run(List.of(ArrowRuntime.ADD_OPENS), OpensCheck.class,
                dir.resolve("y.arrow").toString());
        assertTrue(withFlag.output().contains("WROTE"), withFlag.output());
    }
}
