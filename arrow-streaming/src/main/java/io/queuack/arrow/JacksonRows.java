package io.queuack.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Streams rows to and from text formats Jackson reads and writes one value at a time (JSON Lines, CSV). */
final class JacksonRows {

    private JacksonRows() {
    }

    /** Writes each row as it comes, to a partial file moved into place when complete; returns the row count. */
    static long write(ObjectWriter writer, Stream<?> rows, Path file, String format) {
        Path target = file.toAbsolutePath().normalize();
        Path partial = target.resolveSibling(target.getFileName() + BatchFile.PARTIAL_SUFFIX);
        long[] count = {0};
        try (rows) {
            Files.createDirectories(target.getParent());
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16);
                    SequenceWriter sequence = writer.without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).writeValues(out)) {
                rows.sequential().forEach(row -> {
                    try {
                        sequence.write(row);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    count[0]++;
                });
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return count[0];
        } catch (IOException | UncheckedIOException e) {
            Closing.deleteQuietly(e, partial);
            throw new DatasetException("Writing " + format + " to " + target + " failed after " + count[0] + " rows: "
                    + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Closing.deleteQuietly(e, partial);
            throw e;
        }
    }

    /** @return the file's rows, read lazily; closing the stream closes the file */
    static <R> Stream<R> read(ObjectReader reader, Path file, String format) {
        MappingIterator<R> values;
        try {
            values = reader.readValues(Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DatasetException("No " + format + " file at " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new DatasetException("Cannot read " + format + " from " + file + ": " + e.getMessage(), e);
        }
        Iterator<R> checked = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return values.hasNextValue();
                } catch (IOException e) {
                    throw invalid(e);
                }
            }

            @Override
            public R next() {
                try {
                    return values.nextValue();
                } catch (IOException e) {
                    throw invalid(e);
                }
            }

            private DatasetException invalid(IOException e) {
                String where = e instanceof JsonProcessingException parsing && parsing.getLocation() != null
                        ? " at line " + parsing.getLocation().getLineNr() : "";
                return new DatasetException("Invalid " + format + where + " of " + file + ": "
                        + (e instanceof JsonProcessingException parsing ? parsing.getOriginalMessage() : e.getMessage()), e);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(checked, Spliterator.ORDERED), false)
                .onClose(() -> {
                    try {
                        values.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
