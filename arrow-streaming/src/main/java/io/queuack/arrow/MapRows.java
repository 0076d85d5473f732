package io.queuack.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;

/** Writes {@code Map<String, ?>} rows: one entry per column, a missing key or null value meaning null. */
final class MapRows implements RowSink<Map<String, ?>> {

    private final List<Column> columns;
    private final Codec[] codecs;
    private FieldVector[] vectors;

    MapRows(DatasetSchema schema) {
        this.columns = schema.columns();
        this.codecs = columns.stream().map(Codec::of).toArray(Codec[]::new);
    }

    void bind(BatchFile file) {
        this.vectors = file.vectors().toArray(FieldVector[]::new);
    }

    @Override
    public void put(int slot, Map<String, ?> row, long index) {
        int present = 0;
        for (int i = 0; i < codecs.length; i++) {
            Column column = columns.get(i);
            Object value = row.get(column.name());
            if (value == null) {
                if (!column.nullable()) {
                    throw RowSink.mismatch(index, column, "null or missing in a NOT NULL column; declare the column"
                            + " nullable (Column.nullable) or give every row a value");
                }
                continue;
            }
            present++;
            try {
                codecs[i].set(vectors[i], slot, value);
            } catch (ValueMismatch e) {
                throw RowSink.mismatch(index, column, e.getMessage());
            }
        }
        if (row.size() > present) {
            for (Map.Entry<String, ?> entry : row.entrySet()) {
                if (entry.getValue() != null && !columnNamed(entry.getKey())) {
                    throw new DatasetException("Row " + index + " has key '" + entry.getKey() + "', which is not a"
                            + " column of the schema " + new DatasetSchema(columns) + ". Rows must share one schema:"
                            + " declare it with schema(..) to include this column, or drop the key");
                }
            }
        }
    }

    private boolean columnNamed(String name) {
        for (Column column : columns) {
            if (column.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Infers a schema from the first rows: keys in first-seen order, each typed by its first non-null value
     * (integral numbers as LONG, other numbers as DOUBLE, BigDecimal as DECIMAL(38,10)); every column nullable.
     *
     * @throws DatasetException if a key has only nulls, or a value of a type no column holds
     */
    static DatasetSchema infer(List<? extends Map<String, ?>> rows) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (Map<String, ?> row : rows) {
            for (Map.Entry<String, ?> entry : row.entrySet()) {
                Object value = entry.getValue();
                if (value != null && types.get(entry.getKey()) == null) {
                    types.put(entry.getKey(), inferredType(entry.getKey(), value));
                } else {
                    types.putIfAbsent(entry.getKey(), null);
                }
            }
        }
        List<Column> columns = new ArrayList<>();
        types.forEach((name, type) -> {
            if (type == null) {
                throw new DatasetException("Column '" + name + "' is null in every row of the first batch, so its type"
                        + " cannot be inferred; declare the schema with schema(DatasetSchema.of(..))");
            }
            columns.add(Column.nullable(name, type));
        });
        if (columns.isEmpty()) {
            throw new DatasetException("The first rows have no keys, so there are no columns; declare a schema");
        }
        return new DatasetSchema(columns);
    }

    private static ColumnType inferredType(String key, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ColumnType.LONG;
        }
        if (value instanceof BigInteger) {
            return ColumnType.DECIMAL;
        }
        if (value instanceof Number && !(value instanceof BigDecimal)) {
            return ColumnType.DOUBLE;
        }
        if (value instanceof Enum<?>) {
            return ColumnType.STRING;
        }
        return ColumnType.forJavaType(value.getClass()).orElseThrow(() -> new DatasetException("Column '" + key
                + "' has a value of type " + value.getClass().getName() + ", which no column type holds. Supported: "
                + DatasetSchema.supportedTypes()));
    }
}
