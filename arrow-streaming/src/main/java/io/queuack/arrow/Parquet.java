package io.queuack.arrow;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Parquet in and out through DuckDB's built-in Parquet reader and writer, streaming from and into Arrow
 * datasets (no row passes through a Java object).
 *
 * <pre>{@code
 * Parquet.write(sales, Path.of("sales.parquet"));
 * Dataset back = Parquet.toDataset(Path.of("sales.parquet"), Path.of("sales.arrow"));
 * }</pre>
 */
public final class Parquet {

    private Parquet() {
    }

    /** Writes a dataset as a Parquet file (Snappy-compressed, DuckDB's default); returns the file. */
    public static Path write(Dataset dataset, Path file) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(file, "file");
        try (ArrowSql sql = ArrowSql.open().register("dataset", dataset)) {
            sql.execute("COPY (SELECT * FROM dataset) TO " + literal(file) + " (FORMAT parquet)");
        }
        return file;
    }

    /** Converts a Parquet file (or a glob such as {@code "parts/*.parquet"}) into an Arrow dataset. */
    public static Dataset toDataset(Path parquet, Path target) {
        Objects.requireNonNull(parquet, "parquet");
        try (ArrowSql sql = ArrowSql.open()) {
            return sql.export("SELECT * FROM read_parquet(" + literal(parquet) + ")", target);
        }
    }

    static String literal(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
