package io.queuack.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Translates between {@link DatasetSchema} and Arrow's schema. */
final class ArrowTypes {

    private ArrowTypes() {
    }

    static Schema toArrow(DatasetSchema schema) {
        return new Schema(schema.columns().stream().map(ArrowTypes::field).toList());
    }

    static Field field(Column column) {
        ArrowType type = switch (column.type()) {
            case BYTE -> new ArrowType.Int(8, true);
            case SHORT -> new ArrowType.Int(16, true);
            case INT -> new ArrowType.Int(32, true);
            case LONG -> new ArrowType.Int(64, true);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case STRING -> ArrowType.Utf8.INSTANCE;
            case DECIMAL -> new ArrowType.Decimal(column.precision(), column.scale(), 128);
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case DATETIME -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case INSTANT -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        };
        return new Field(column.name(), new FieldType(column.nullable(), type, null), null);
    }

    /**
     * @throws DatasetException naming the first column whose Arrow type this library does not read (nested,
     *                          unsigned, dictionary-encoded, ...)
     */
    static DatasetSchema fromArrow(Schema schema, String source) {
        List<Column> columns = new ArrayList<>();
        for (Field field : schema.getFields()) {
            columns.add(column(field, source));
        }
        if (columns.isEmpty()) {
            throw new DatasetException(source + " has no columns");
        }
        return new DatasetSchema(columns);
    }

    private static Column column(Field field, String source) {
        if (field.getDictionary() != null || !field.getChildren().isEmpty()) {
            throw unsupported(field, source);
        }
        ArrowType type = field.getType();
        boolean nullable = field.isNullable();
        String name = field.getName();
        if (type instanceof ArrowType.Int integer && integer.getIsSigned()) {
            ColumnType columnType = switch (integer.getBitWidth()) {
                case 8 -> ColumnType.BYTE;
                case 16 -> ColumnType.SHORT;
                case 32 -> ColumnType.INT;
                default -> ColumnType.LONG;
            };
            return Column.of(name, columnType).withNullable(nullable);
        }
        if (type instanceof ArrowType.FloatingPoint floating && floating.getPrecision() != FloatingPointPrecision.HALF) {
            return Column.of(name, floating.getPrecision() == FloatingPointPrecision.SINGLE ? ColumnType.FLOAT
                    : ColumnType.DOUBLE).withNullable(nullable);
        }
        if (type instanceof ArrowType.Decimal decimal && decimal.getBitWidth() == 128) {
            return Column.decimal(name, decimal.getPrecision(), decimal.getScale(), nullable);
        }
        if (type instanceof ArrowType.Timestamp timestamp) {
            return Column.of(name, timestamp.getTimezone() == null ? ColumnType.DATETIME : ColumnType.INSTANT)
                    .withNullable(nullable);
        }
        ColumnType simple = switch (type.getTypeID()) {
            case Bool -> ColumnType.BOOLEAN;
            case Utf8, LargeUtf8, Utf8View -> ColumnType.STRING;
            case Date -> ColumnType.DATE;
            default -> null;
        };
        if (simple == null) {
            throw unsupported(field, source);
        }
        return Column.of(name, simple).withNullable(nullable);
    }

    private static DatasetException unsupported(Field field, String source) {
        return new DatasetException("Column '" + field.getName() + "' of " + source + " has Arrow type " + field.getType()
                + (field.getDictionary() != null ? " (dictionary-encoded)" : "")
                + ", which queuack-arrow does not read. Supported: signed integers, float, double, boolean, strings,"
                + " 128-bit decimals, dates, timestamps. If the data comes from DuckDB, cast the column in SQL"
                + " (e.g. CAST(x AS VARCHAR) or CAST(x AS BIGINT)).");
    }
}
