package io.queuack.arrow;

import java.util.Objects;

/**
 * One column of a dataset: its name, type, whether it may hold nulls, and for {@link ColumnType#DECIMAL}
 * its precision and scale (0 for other types).
 *
 * @param name      the column name, not blank
 * @param type      the type
 * @param nullable  whether values may be null
 * @param precision total decimal digits, 1 to 38 (decimals only)
 * @param scale     digits after the point, 0 to precision (decimals only)
 */
public record Column(String name, ColumnType type, boolean nullable, int precision, int scale) {

    /** Default precision of decimal columns. */
    public static final int DEFAULT_PRECISION = 38;
    /** Default scale of decimal columns. */
    public static final int DEFAULT_SCALE = 10;

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A column name must not be blank");
        }
        if (type == ColumnType.DECIMAL) {
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("Decimal column '" + name + "' needs a precision of 1 to 38 and a"
                        + " scale of 0 to the precision; was precision " + precision + ", scale " + scale);
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException("Column '" + name + "' is " + type
                    + ": only DECIMAL columns take a precision and scale");
        }
    }

    /** @return a non-null column (decimals get precision 38, scale 10) */
    public static Column of(String name, ColumnType type) {
        return type == ColumnType.DECIMAL ? new Column(name, type, false, DEFAULT_PRECISION, DEFAULT_SCALE)
                : new Column(name, type, false, 0, 0);
    }

    /** @return a column that may hold nulls (decimals get precision 38, scale 10) */
    public static Column nullable(String name, ColumnType type) {
        return of(name, type).withNullable(true);
    }

    /** @return a decimal column */
    public static Column decimal(String name, int precision, int scale, boolean nullable) {
        return new Column(name, ColumnType.DECIMAL, nullable, precision, scale);
    }

    /** @return this column, nullable or not */
    public Column withNullable(boolean nullable) {
        return new Column(name, type, nullable, precision, scale);
    }

    @Override
    public String toString() {
        String shown = type == ColumnType.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : type.name();
        return name + " " + shown + (nullable ? "" : " NOT NULL");
    }
}
