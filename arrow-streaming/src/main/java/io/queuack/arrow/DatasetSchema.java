package io.queuack.arrow;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The columns of a dataset, in order. Declare one with {@link #of(Column...)}, or derive it from a record
 * class with {@link #ofRecord(Class)}.
 *
 * @param columns the columns; names are unique
 */
public record DatasetSchema(List<Column> columns) {

    public DatasetSchema {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A schema needs at least one column");
        }
        Set<String> names = new HashSet<>();
        for (Column column : columns) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("Column '" + column.name() + "' appears twice in the schema");
            }
        }
    }

    /** @return a schema of these columns */
    public static DatasetSchema of(Column... columns) {
        return new DatasetSchema(List.of(columns));
    }

    /**
     * Derives a schema from a record's components, in declaration order. Primitive components are NOT NULL;
     * boxed types, {@code String}, {@code BigDecimal}, {@code LocalDate}, {@code LocalDateTime} and
     * {@code Instant} are nullable.
     *
     * @throws IllegalArgumentException if {@code type} is not a record or has a component no column type holds
     */
    public static DatasetSchema ofRecord(Class<?> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record. Rows written by type must be"
                    + " records; write Map rows with writeMaps(..), or fill columns with writeColumns(..)");
        }
        List<Column> columns = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> javaType = component.getType();
            ColumnType columnType = ColumnType.forJavaType(javaType).orElseThrow(() -> new IllegalArgumentException(
                    "Record " + type.getSimpleName() + " has component '" + component.getName() + "' of type "
                            + javaType.getName() + ", which no column type holds. Supported: "
                            + supportedTypes()));
            columns.add(Column.of(component.getName(), columnType).withNullable(!javaType.isPrimitive()));
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("Record " + type.getName() + " has no components, so no columns");
        }
        return new DatasetSchema(columns);
    }

    /** @return the column of that name, if any */
    public Optional<Column> column(String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst();
    }

    /** @return the column names in order */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * @return the schema of just these columns, in the order asked for
     * @throws IllegalArgumentException naming any column that does not exist
     */
    public DatasetSchema select(List<String> names) {
        List<Column> selected = new ArrayList<>();
        for (String name : names) {
            selected.add(column(name).orElseThrow(() -> new IllegalArgumentException(
                    "No column '" + name + "' in this dataset; its columns are " + names())));
        }
        return new DatasetSchema(selected);
    }

    static String supportedTypes() {
        return "primitives and their boxes, String, BigDecimal, LocalDate, LocalDateTime, Instant";
    }

    @Override
    public String toString() {
        return columns.stream().map(Column::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
