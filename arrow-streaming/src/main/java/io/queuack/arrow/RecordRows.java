package io.queuack.arrow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes records column by column. Numeric components are read through accessors typed to their primitive
 * type, so {@code long} and {@code double} components are never boxed.
 */
final class RecordRows<R> implements RowSink<R> {

    /** Writes one component of a record into its vector. */
    private interface ComponentWriter {
        void write(FieldVector vector, int slot, Object record);
    }

    private final List<Column> columns;
    private final ComponentWriter[] writers;
    private FieldVector[] vectors;

    private RecordRows(List<Column> columns, ComponentWriter[] writers) {
        this.columns = columns;
        this.writers = writers;
    }

    /**
     * @param schema the dataset's columns; each must name a component of {@code type} of the same column type
     * @throws IllegalArgumentException if a column has no matching component
     */
    static <R> RecordRows<R> of(Class<R> type, DatasetSchema schema) {
        List<Column> columns = schema.columns();
        ComponentWriter[] writers = new ComponentWriter[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            Column column = columns.get(i);
            RecordComponent component = component(type, column);
            writers[i] = writer(column, type, accessor(type, component), component.getType());
        }
        return new RecordRows<>(columns, writers);
    }

    void bind(BatchFile file) {
        this.vectors = file.vectors().toArray(FieldVector[]::new);
    }

    @Override
    public void put(int slot, R row, long index) {
        for (int i = 0; i < writers.length; i++) {
            try {
                writers[i].write(vectors[i], slot, row);
            } catch (ValueMismatch e) {
                throw RowSink.mismatch(index, columns.get(i), e.getMessage());
            }
        }
    }

    private static RecordComponent component(Class<?> type, Column column) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals(column.name())) {
                ColumnType actual = ColumnType.forJavaType(component.getType()).orElse(null);
                if (actual != column.type()) {
                    throw new IllegalArgumentException("Column '" + column.name() + "' is " + column.type()
                            + " in the schema, but component '" + column.name() + "' of " + type.getSimpleName()
                            + " is a " + component.getType().getSimpleName());
                }
                return component;
            }
        }
        throw new IllegalArgumentException("The schema has column '" + column.name() + "', but record "
                + type.getSimpleName() + " has no component of that name");
    }

    private static MethodHandle accessor(Class<?> type, RecordComponent component) {
        Method method = component.getAccessor();
        try {
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read component '" + component.getName() + "' of " + type.getName()
                    + ": " + e.getMessage() + ". Make the record public, or open its package to queuack-arrow", e);
        }
    }

    private static ComponentWriter writer(Column column, Class<?> type, MethodHandle accessor, Class<?> javaType) {
        Codec codec = Codec.of(column);
        if (javaType == long.class || javaType == int.class || javaType == short.class || javaType == byte.class) {
            ToLongFunction<Object> getter = Accessors.toLong(type, accessor);
            Codec.Integral integral = (Codec.Integral) codec;
            return (vector, slot, record) -> integral.setLong(vector, slot, getter.applyAsLong(record));
        }
        if (javaType == double.class || javaType == float.class) {
            ToDoubleFunction<Object> getter = Accessors.toDouble(type, accessor);
            Codec.Floating floating = (Codec.Floating) codec;
            return (vector, slot, record) -> floating.setDouble(vector, slot, getter.applyAsDouble(record));
        }
        Function<Object, Object> getter = Accessors.toObject(type, accessor);
        if (javaType == boolean.class) {
            return (vector, slot, record) -> ((BitVector) vector).setSafe(slot, (Boolean) getter.apply(record) ? 1 : 0);
        }
        boolean nullable = column.nullable();
        return (vector, slot, record) -> {
            Object value = getter.apply(record);
            if (value != null) {
                codec.set(vector, slot, value);
            } else if (!nullable) {
                throw new ValueMismatch("null in a NOT NULL column; declare the column nullable");
            }
        };
    }
}
