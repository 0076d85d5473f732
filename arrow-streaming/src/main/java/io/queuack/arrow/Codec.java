package io.queuack.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;

/**
 * How one column type moves between Java values, Arrow vectors and Tablesaw columns. Writing always
 * uses this library's vector for the type; reading also accepts the variants other tools write (other
 * timestamp units, millisecond dates, large strings), told apart by the vector's Arrow type.
 */
abstract class Codec {

    final Column column;

    Codec(Column column) {
        this.column = column;
    }

    static Codec of(Column column) {
        return switch (column.type()) {
            case BYTE, SHORT, INT, LONG -> new Integral(column);
            case FLOAT, DOUBLE -> new Floating(column);
            case BOOLEAN -> new Bool(column);
            case STRING -> new Text(column);
            case DECIMAL -> new Decimal(column);
            case DATE -> new Date(column);
            case DATETIME, INSTANT -> new Timestamp(column);
        };
    }

    /** Stores a non-null value at {@code row}, growing the vector if needed. */
    abstract void set(FieldVector vector, int row, Object value);

    /** @return the non-null value at {@code row}, as the column type's Java type */
    abstract Object get(FieldVector vector, int row);

    /** @return a Tablesaw column holding the vector's first {@code rows} values, nulls as missing values */
    tech.tablesaw.columns.Column<?> toTablesaw(FieldVector vector, int rows) {
        tech.tablesaw.columns.Column<?> target = emptyTablesaw(rows);
        for (int row = 0; row < rows; row++) {
            if (vector.isNull(row)) {
                target.appendMissing();
            } else {
                target.appendObj(get(vector, row));
            }
        }
        return target;
    }

    tech.tablesaw.columns.Column<?> emptyTablesaw(int rows) {
        throw new UnsupportedOperationException("no generic Tablesaw column for " + column);
    }

    static <C extends tech.tablesaw.columns.Column<?>> C markMissing(C target, FieldVector vector, int rows) {
        if (vector.getNullCount() > 0) {
            for (int row = 0; row < rows; row++) {
                if (vector.isNull(row)) {
                    target.setMissing(row);
                }
            }
        }
        return target;
    }

    // ---------------------------------------------------------------- numbers

    static final class Integral extends Codec {
        private final int width;
        private final long min;
        private final long max;

        Integral(Column column) {
            super(column);
            this.width = switch (column.type()) {
                case BYTE -> 1;
                case SHORT -> 2;
                case INT -> 4;
                default -> 8;
            };
            this.max = width == 8 ? Long.MAX_VALUE : (1L << (width * 8 - 1)) - 1;
            this.min = -max - 1;
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
                throw ValueMismatch.of(column, "an integral number (byte, short, int or long)", value);
            }
            long number = ((Number) value).longValue();
            if (number < min || number > max) {
                throw new ValueMismatch("value " + number + " does not fit a " + column.type() + " column ("
                        + min + " to " + max + "); declare the column wider");
            }
            setLong(vector, row, number);
        }

        void setLong(FieldVector vector, int row, long number) {
            ensureCapacity(vector, row);
            ArrowBuf data = vector.getDataBuffer();
            switch (width) {
                case 1 -> data.setByte(row, (byte) number);
                case 2 -> data.setShort((long) row * 2, (short) number);
                case 4 -> data.setInt((long) row * 4, (int) number);
                default -> data.setLong((long) row * 8, number);
            }
            BitVectorHelper.setBit(vector.getValidityBuffer(), row);
        }

        long getLong(FieldVector vector, int row) {
            ArrowBuf data = vector.getDataBuffer();
            return switch (width) {
                case 1 -> data.getByte(row);
                case 2 -> data.getShort((long) row * 2);
                case 4 -> data.getInt((long) row * 4);
                default -> data.getLong((long) row * 8);
            };
        }

        @Override
        Object get(FieldVector vector, int row) {
            long number = getLong(vector, row);
            return switch (width) {
                case 1 -> (byte) number;
                case 2 -> (short) number;
                case 4 -> (int) number;
                default -> number;
            };
        }

        @Override
        tech.tablesaw.columns.Column<?> toTablesaw(FieldVector vector, int rows) {
            ArrowBuf data = vector.getDataBuffer();
            String name = column.name();
            if (width == 8) {
                long[] values = new long[rows];
                for (int row = 0; row < rows; row++) {
                    values[row] = data.getLong((long) row * 8);
                }
                return markMissing(LongColumn.create(name, values), vector, rows);
            }
            if (width == 4) {
                int[] values = new int[rows];
                for (int row = 0; row < rows; row++) {
                    values[row] = data.getInt((long) row * 4);
                }
                return markMissing(IntColumn.create(name, values), vector, rows);
            }
            short[] values = new short[rows];
            for (int row = 0; row < rows; row++) {
                values[row] = (short) getLong(vector, row);
            }
            return markMissing(ShortColumn.create(name, values), vector, rows);
        }
    }

    static final class Floating extends Codec {
        private final boolean single;

        Floating(Column column) {
            super(column);
            this.single = column.type() == ColumnType.FLOAT;
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            if (!(value instanceof Number number) || value instanceof BigDecimal || value instanceof BigInteger) {
                throw ValueMismatch.of(column, "a number (double, float, or an integral number)", value);
            }
            setDouble(vector, row, number.doubleValue());
        }

        void setDouble(FieldVector vector, int row, double number) {
            ensureCapacity(vector, row);
            if (single) {
                vector.getDataBuffer().setFloat((long) row * 4, (float) number);
            } else {
                vector.getDataBuffer().setDouble((long) row * 8, number);
            }
            BitVectorHelper.setBit(vector.getValidityBuffer(), row);
        }

        double getDouble(FieldVector vector, int row) {
            return single ? vector.getDataBuffer().getFloat((long) row * 4) : vector.getDataBuffer().getDouble((long) row * 8);
        }

        @Override
        Object get(FieldVector vector, int row) {
            return single ? (Object) vector.getDataBuffer().getFloat((long) row * 4) : (Object) getDouble(vector, row);
        }

        @Override
        tech.tablesaw.columns.Column<?> toTablesaw(FieldVector vector, int rows) {
            ArrowBuf data = vector.getDataBuffer();
            if (single) {
                float[] values = new float[rows];
                for (int row = 0; row < rows; row++) {
                    values[row] = data.getFloat((long) row * 4);
                }
                return markMissing(FloatColumn.create(column.name(), values), vector, rows);
            }
            double[] values = new double[rows];
            for (int row = 0; row < rows; row++) {
                values[row] = data.getDouble((long) row * 8);
            }
            return markMissing(DoubleColumn.create(column.name(), values), vector, rows);
        }
    }

    // ---------------------------------------------------------------- others

    static final class Bool extends Codec {
        Bool(Column column) {
            super(column);
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            if (!(value instanceof Boolean flag)) {
                throw ValueMismatch.of(column, "a boolean", value);
            }
            ((BitVector) vector).setSafe(row, flag ? 1 : 0);
        }

        @Override
        Object get(FieldVector vector, int row) {
            return ((BitVector) vector).get(row) != 0;
        }

        @Override
        tech.tablesaw.columns.Column<?> emptyTablesaw(int rows) {
            return BooleanColumn.create(column.name());
        }
    }

    static final class Text extends Codec {
        Text(Column column) {
            super(column);
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            String text;
            if (value instanceof CharSequence sequence) {
                text = sequence.toString();
            } else if (value instanceof Enum<?> constant) {
                text = constant.name();
            } else {
                throw ValueMismatch.of(column, "a String (or an enum constant, stored by name)", value);
            }
            ((VarCharVector) vector).setSafe(row, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        Object get(FieldVector vector, int row) {
            if (vector instanceof VarCharVector strings) {
                return new String(strings.get(row), StandardCharsets.UTF_8);
            }
            return vector.getObject(row).toString();
        }

        @Override
        tech.tablesaw.columns.Column<?> emptyTablesaw(int rows) {
            return StringColumn.create(column.name());
        }
    }

    static final class Decimal extends Codec {
        Decimal(Column column) {
            super(column);
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            BigDecimal decimal;
            if (value instanceof BigDecimal exact) {
                decimal = exact;
            } else if (value instanceof BigInteger whole) {
                decimal = new BigDecimal(whole);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                decimal = BigDecimal.valueOf(((Number) value).longValue());
            } else {
                throw ValueMismatch.of(column, "a BigDecimal (or an integral number)", value);
            }
            BigDecimal scaled;
            try {
                scaled = decimal.setScale(column.scale(), RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new ValueMismatch("value " + decimal.toPlainString() + " has more than " + column.scale()
                        + " digits after the point; round it, or declare the column with a larger scale");
            }
            if (scaled.precision() > column.precision()) {
                throw new ValueMismatch("value " + decimal.toPlainString() + " has more than " + column.precision()
                        + " digits; declare the column with a larger precision (up to 38)");
            }
            ((DecimalVector) vector).setSafe(row, scaled);
        }

        @Override
        Object get(FieldVector vector, int row) {
            return vector.getObject(row);
        }

        @Override
        tech.tablesaw.columns.Column<?> toTablesaw(FieldVector vector, int rows) {
            double[] values = new double[rows];
            for (int row = 0; row < rows; row++) {
                values[row] = vector.isNull(row) ? Double.NaN : ((BigDecimal) get(vector, row)).doubleValue();
            }
            return DoubleColumn.create(column.name(), values);
        }
    }

    static final class Date extends Codec {
        Date(Column column) {
            super(column);
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            if (!(value instanceof LocalDate date)) {
                throw ValueMismatch.of(column, "a LocalDate", value);
            }
            ((DateDayVector) vector).setSafe(row, Math.toIntExact(date.toEpochDay()));
        }

        @Override
        Object get(FieldVector vector, int row) {
            if (vector instanceof DateMilliVector millis) {
                return LocalDate.ofEpochDay(Math.floorDiv(millis.get(row), TimeUnit.DAYS.toMillis(1)));
            }
            return LocalDate.ofEpochDay(((DateDayVector) vector).get(row));
        }

        @Override
        tech.tablesaw.columns.Column<?> emptyTablesaw(int rows) {
            return DateColumn.create(column.name());
        }
    }

    /** DATETIME and INSTANT: written in microseconds; read in whatever unit the file uses. */
    static final class Timestamp extends Codec {
        private final boolean instant;

        Timestamp(Column column) {
            super(column);
            this.instant = column.type() == ColumnType.INSTANT;
        }

        @Override
        void set(FieldVector vector, int row, Object value) {
            Instant point;
            if (instant && value instanceof Instant given) {
                point = given;
            } else if (!instant && value instanceof LocalDateTime local) {
                point = local.toInstant(ZoneOffset.UTC);
            } else {
                throw ValueMismatch.of(column, instant ? "an Instant" : "a LocalDateTime", value);
            }
            long micros = Math.addExact(Math.multiplyExact(point.getEpochSecond(), 1_000_000L), point.getNano() / 1_000);
            ((TimeStampVector) vector).setSafe(row, micros);
        }

        @Override
        Object get(FieldVector vector, int row) {
            long raw = ((TimeStampVector) vector).get(row);
            ArrowType.Timestamp type = (ArrowType.Timestamp) vector.getField().getType();
            long perSecond = switch (type.getUnit()) {
                case SECOND -> 1L;
                case MILLISECOND -> 1_000L;
                case MICROSECOND -> 1_000_000L;
                case NANOSECOND -> 1_000_000_000L;
            };
            long seconds = Math.floorDiv(raw, perSecond);
            long nanos = Math.floorMod(raw, perSecond) * (1_000_000_000L / perSecond);
            Instant point = Instant.ofEpochSecond(seconds, nanos);
            return instant ? point : LocalDateTime.ofInstant(point, ZoneOffset.UTC);
        }

        @Override
        tech.tablesaw.columns.Column<?> emptyTablesaw(int rows) {
            return instant ? InstantColumn.create(column.name()) : DateTimeColumn.create(column.name());
        }
    }

    // ---------------------------------------------------------------- fixed-width helpers

    private static void ensureCapacity(FieldVector vector, int row) {
        while (row >= vector.getValueCapacity()) {
            vector.reAlloc();
        }
    }
}
