package io.queuack.arrow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * JSON Lines (one JSON object per line) in and out, streaming through Jackson: constant memory both ways.
 * Dates and times are ISO-8601 strings.
 *
 * <pre>{@code
 * JsonLines.write(sales.read().stream(Sale.class), Path.of("sales.jsonl"));
 * Dataset again = JsonLines.toDataset(Path.of("sales.jsonl"), Sale.class, Path.of("sales.arrow"));
 * }</pre>
 */
public final class JsonLines {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private JsonLines() {
    }

    /**
     * Writes rows, one JSON object per line; the stream is closed afterwards. The file appears only when complete.
     *
     * @return how many rows were written
     */
    public static long write(Stream<?> rows, Path file) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(file, "file");
        return JacksonRows.write(MAPPER.writer().withRootValueSeparator("\n"), rows, file, "JSON Lines");
    }

    /**
     * @return the file's lines as {@code type}, read lazily (blank lines skipped); close the stream when done
     * @throws DatasetException on invalid JSON, naming the line
     */
    public static <R> Stream<R> read(Path file, Class<R> type) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(type, "type");
        return JacksonRows.read(MAPPER.readerFor(type), file, "JSON Lines");
    }

    /** Converts a JSON Lines file of records into an Arrow dataset, streaming. */
    public static <R> Dataset toDataset(Path jsonLines, Class<R> type, Path target) {
        return Datasets.writer(target).writeRecords(read(jsonLines, type), type);
    }
}
