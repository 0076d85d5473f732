package io.queuack.arrow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * CSV in and out, streaming through Jackson's CSV module, typed by a record: a header row with the
 * component names, and values parsed back into the components' types (numbers stay numbers). A null is an
 * empty field; an empty string is written quoted ({@code ""}) so the two stay apart. Dates and times are ISO-8601.
 *
 * <pre>{@code
 * Csv.write(sales.read().stream(Sale.class), Sale.class, Path.of("sales.csv"));
 * try (Stream<Sale> rows = Csv.read(Path.of("sales.csv"), Sale.class)) { ... }
 * }</pre>
 */
public final class Csv {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .build();

    private Csv() {
    }

    /**
     * Writes records as CSV with a header row; the stream is closed afterwards. The file appears only when complete.
     *
     * @return how many rows were written
     */
    public static <R> long write(Stream<? extends R> rows, Class<R> type, Path file) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(file, "file");
        return JacksonRows.write(MAPPER.writer(schema(type)), rows, file, "CSV");
    }

    /**
     * @return the file's rows as {@code type}, read lazily; the header row must name the components, in any order
     * @throws DatasetException on a value that does not parse, naming the line
     */
    public static <R> Stream<R> read(Path file, Class<R> type) {
        Objects.requireNonNull(file, "file");
        return JacksonRows.read(MAPPER.readerFor(type).with(CsvSchema.emptySchema().withHeader()), file, "CSV");
    }

    /** Converts a CSV file of records into an Arrow dataset, streaming. */
    public static <R> Dataset toDataset(Path csv, Class<R> type, Path target) {
        return Datasets.writer(target).writeRecords(read(csv, type), type);
    }

    private static CsvSchema schema(Class<?> type) {
        DatasetSchema.ofRecord(Objects.requireNonNull(type, "type"));
        CsvSchema.Builder columns = CsvSchema.builder().setUseHeader(true);
        for (var component : type.getRecordComponents()) {
            columns.addColumn(component.getName());
        }
        return columns.build();
    }
}
