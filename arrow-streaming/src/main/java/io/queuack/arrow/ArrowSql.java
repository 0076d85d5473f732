package io.queuack.arrow;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.duckdb.DuckDBResultSet;
import tech.tablesaw.api.Table;

/**
 * DuckDB SQL over Arrow datasets. Registered datasets are tables in the SQL; DuckDB scans them through
 * Arrow's C stream interface batch by batch, and results come back the same way: as a Tablesaw table, or
 * written straight from DuckDB's Arrow vectors into a new dataset, with no Java object per row.
 *
 * <pre>{@code
 * try (ArrowSql sql = ArrowSql.open().register("sales", sales)) {
 *     Table byRegion = sql.query("SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region");
 *     Dataset big = sql.export("SELECT * FROM sales WHERE amount > 90", dir.resolve("big.arrow"));
 * }
 * }</pre>
 *
 * <p>DuckDB's own functions work too: {@code read_parquet}, {@code read_csv}, {@code COPY ... TO}. Not
 * thread-safe: one query at a time.
 */
public final class ArrowSql implements AutoCloseable {

    private static final int EXPORT_BATCH_ROWS = DatasetWriter.DEFAULT_BATCH_SIZE;

    private final DuckDBConnection connection;
    private final boolean owned;
    private final Map<String, Path> datasets = new LinkedHashMap<>();

    private ArrowSql(DuckDBConnection connection, boolean owned) {
        this.connection = connection;
        this.owned = owned;
    }

    /** @return SQL over a new in-memory DuckDB database, closed with this object */
    public static ArrowSql open() {
        ArrowRuntime.checkOpens();
        try {
            // the driver itself, not DriverManager, which may not see a jar loaded at run time (JJava's %classpath)
            return new ArrowSql((DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", new Properties()), true);
        } catch (SQLException e) {
            throw new DatasetException("Cannot open an in-memory DuckDB database: " + e.getMessage(), e);
        }
    }

    /**
     * @param duckdb a DuckDB JDBC connection of yours (its tables are visible to the SQL); not closed by
     *               {@link #close()}
     */
    public static ArrowSql on(Connection duckdb) {
        Objects.requireNonNull(duckdb, "duckdb");
        ArrowRuntime.checkOpens();
        try {
            return new ArrowSql(duckdb.unwrap(DuckDBConnection.class), false);
        } catch (SQLException e) {
            throw new IllegalArgumentException("ArrowSql needs a DuckDB connection (jdbc:duckdb:...), got "
                    + duckdb.getClass().getName(), e);
        }
    }

    /**
     * Makes a dataset a table of the SQL, replacing any registered under that name.
     *
     * @param name a SQL identifier: a letter or underscore, then letters, digits or underscores
     */
    public ArrowSql register(String name, Dataset dataset) {
        return register(name, Objects.requireNonNull(dataset, "dataset").path());
    }

    /** Like {@link #register(String, Dataset)}, for an Arrow IPC file (file or stream format) by its path. */
    public ArrowSql register(String name, Path file) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a plain SQL name: use a letter or underscore, then"
                    + " letters, digits or underscores, e.g. \"sales_2024\"");
        }
        IpcFile.open(file).close();
        datasets.put(name, file.toAbsolutePath());
        return this;
    }

    /** @return the result as one Tablesaw table (read batch by batch; the table holds every result row) */
    public Table query(String sql) {
        return run(sql, reader -> {
            DatasetSchema schema = ArrowTypes.fromArrow(reader.getVectorSchemaRoot().getSchema(), "the result of " + sql);
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Table all = DatasetReader.table("result", schema, root.getFieldVectors(), 0);
            while (reader.loadNextBatch()) {
                all.append(DatasetReader.table("result", schema, root.getFieldVectors(), root.getRowCount()));
            }
            return all;
        });
    }

    /**
     * Runs a query and writes its result into a new dataset, batch by batch, straight from DuckDB's Arrow
     * vectors (constant memory however large the result).
     */
    public Dataset export(String sql, Path target) {
        Objects.requireNonNull(target, "target");
        return run(sql, reader -> {
            BatchFile file = BatchFile.over(target, IpcFormat.FILE, reader.getVectorSchemaRoot(), "the result of " + sql);
            try {
                while (reader.loadNextBatch()) {
                    file.writeLoaded();
                }
            } catch (IOException | RuntimeException e) {
                file.abort(e);
                throw e;
            }
            return file.finish();
        });
    }

    /** Runs a statement that returns no rows, e.g. {@code COPY (SELECT * FROM sales) TO 'sales.parquet'}. */
    public void execute(String sql) {
        Objects.requireNonNull(sql, "sql");
        withDatasets(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (owned) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new DatasetException("Cannot close DuckDB: " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- internals

    /** Reads a query's result through an Arrow reader. */
    private interface ResultWork<T> {
        T read(ArrowReader reader) throws IOException;
    }

    /** Work done while the datasets are registered. */
    private interface SqlWork<T> {
        T run() throws SQLException, IOException;
    }

    private <T> T run(String sql, ResultWork<T> work) {
        Objects.requireNonNull(sql, "sql");
        return withDatasets(() -> {
            BufferAllocator allocator = ArrowRuntime.allocator("query result");
            try (allocator;
                    Statement statement = connection.createStatement();
                    DuckDBResultSet result = statement.executeQuery(sql).unwrap(DuckDBResultSet.class);
                    ArrowReader reader = (ArrowReader) result.arrowExportStream(allocator, EXPORT_BATCH_ROWS)) {
                return work.read(reader);
            }
        });
    }

    private <T> T withDatasets(SqlWork<T> work) {
        BufferAllocator allocator = ArrowRuntime.allocator("sql inputs");
        List<ArrowArrayStream> streams = new ArrayList<>();
        List<AutoCloseable> inputs = new ArrayList<>();
        Throwable failure = null;
        try {
            for (Map.Entry<String, Path> dataset : datasets.entrySet()) {
                ArrowReader reader = new CheckedReader(IpcFile.open(dataset.getValue()), allocator);
                inputs.add(reader);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
                streams.add(stream);
                Data.exportArrayStream(allocator, reader, stream);
                connection.registerArrowStream(dataset.getKey(), stream);
            }
            return work.run();
        } catch (SQLException e) {
            failure = new DatasetException("DuckDB refused the SQL: " + e.getMessage() + (datasets.isEmpty() ? ""
                    : ". Registered datasets: " + datasets.keySet()), e);
            throw (DatasetException) failure;
        } catch (IOException e) {
            failure = new DatasetException("Reading a query result failed: " + e.getMessage(), e);
            throw (DatasetException) failure;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            Throwable primary = failure != null ? failure : new DatasetException("Releasing SQL inputs failed");
            dropViews(primary);
            for (ArrowArrayStream stream : streams) {
                Closing.quietly(primary, stream::release, stream);
            }
            Closing.quietly(primary, inputs.toArray(AutoCloseable[]::new));
            Closing.quietly(primary, allocator);
            if (failure == null && primary.getSuppressed().length > 0) {
                throw (DatasetException) primary;
            }
        }
    }

    private void dropViews(Throwable primary) {
        for (String name : datasets.keySet()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP VIEW IF EXISTS \"" + name + "\"");
            } catch (SQLException e) {
                primary.addSuppressed(e);
            }
        }
    }

}
