package io.queuack.arrow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * The column types a dataset can hold, with the Java type each one reads back as. Times are kept to the
 * microsecond (as DuckDB and Parquet keep them); decimals default to precision 38, scale 10.
 */
public enum ColumnType {
    /** 8-bit signed integer: {@code byte} / {@code Byte}. */
    BYTE(Byte.class),
    /** 16-bit signed integer: {@code short} / {@code Short}. */
    SHORT(Short.class),
    /** 32-bit signed integer: {@code int} / {@code Integer}. */
    INT(Integer.class),
    /** 64-bit signed integer: {@code long} / {@code Long}. */
    LONG(Long.class),
    /** 32-bit floating point: {@code float} / {@code Float}. */
    FLOAT(Float.class),
    /** 64-bit floating point: {@code double} / {@code Double}. */
    DOUBLE(Double.class),
    /** {@code boolean} / {@code Boolean}. */
    BOOLEAN(Boolean.class),
    /** UTF-8 text: {@code String}. */
    STRING(String.class),
    /** Exact decimal: {@code BigDecimal}, with a precision and scale. */
    DECIMAL(BigDecimal.class),
    /** A calendar date: {@code LocalDate}. */
    DATE(LocalDate.class),
    /** A date and time without zone, to the microsecond: {@code LocalDateTime}. */
    DATETIME(LocalDateTime.class),
    /** A point in time, to the microsecond, stored as UTC: {@code Instant}. */
    INSTANT(Instant.class);

    private static final Map<Class<?>, ColumnType> PRIMITIVES = Map.of(
            byte.class, BYTE, short.class, SHORT, int.class, INT, long.class, LONG,
            float.class, FLOAT, double.class, DOUBLE, boolean.class, BOOLEAN);

    private final Class<?> javaType;

    ColumnType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** @return the Java type values of this column read back as (boxed) */
    public Class<?> javaType() {
        return javaType;
    }

    /** @return the column type for a Java type (primitive or boxed), if a dataset can hold it */
    public static Optional<ColumnType> forJavaType(Class<?> type) {
        ColumnType primitive = PRIMITIVES.get(type);
        if (primitive != null) {
            return Optional.of(primitive);
        }
        for (ColumnType candidate : values()) {
            if (candidate.javaType.equals(type)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
