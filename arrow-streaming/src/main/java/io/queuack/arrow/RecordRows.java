package io.queuack.arrow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes records column by column. Numeric components are read through accessors typed to their primitive
 * type, so {@code long} and {@code double} components are never boxed, and stored straight into the
 * vector's memory: the batch's vectors are allocated for a whole batch, so a slot is always in range, and
 * the validity bits of primitive columns (never null) are set once per batch instead of once per value.
 */
final class RecordRows<R> implements RowSink<R> {

    /** Writes one component of a record into its vector; {@code data} is the address of its data buffer. */
    private interface ComponentWriter {
        void write(FieldVector vector, long data, int slot, Object record);
    }

    private final List<Column> columns;
    private final ComponentWriter[] writers;
    private final boolean[] neverNull;
    private FieldVector[] vectors;
    private long[] data;

    private RecordRows(List<Column> columns, ComponentWriter[] writers, boolean[] neverNull) {
        this.columns = columns;
        this.writers = writers;
        this.neverNull = neverNull;
    }

    /**
     * @param schema the dataset's columns; each must name a component of {@code type} of the same column type
     * @throws IllegalArgumentException if a column has no matching component
     */
    static <R> RecordRows<R> of(Class<R> type, DatasetSchema schema) {
        List<Column> columns = schema.columns();
        ComponentWriter[] writers = new ComponentWriter[columns.size()];
        boolean[] neverNull = new boolean[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            Column column = columns.get(i);
            RecordComponent component = component(type, column);
            Class<?> javaType = component.getType();
            writers[i] = writer(column, type, accessor(type, component), javaType);
            neverNull[i] = javaType.isPrimitive() && javaType != boolean.class;
        }
        return new RecordRows<>(columns, writers, neverNull);
    }

    void bind(BatchFile file) {
        this.vectors = file.vectors().toArray(FieldVector[]::new);
        this.data = new long[vectors.length];
        batchWritten();
    }

    @Override
    public void completeBatch(int rows) {
        for (int i = 0; i < vectors.length; i++) {
            if (neverNull[i]) {
                ArrowBuf validity = vectors[i].getValidityBuffer();
                validity.setOne(0, rows >>> 3);
                for (int row = rows & ~7; row < rows; row++) {
                    BitVectorHelper.setBit(validity, row);
                }
            }
        }
    }

    @Override
    public void batchWritten() {
        for (int i = 0; i < vectors.length; i++) {
            data[i] = vectors[i].getDataBuffer().memoryAddress();
        }
    }

    @Override
    public void put(int slot, R row, long index) {
        for (int i = 0; i < writers.length; i++) {
            try {
                writers[i].write(vectors[i], data[i], slot, row);
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
        if (javaType == long.class || javaType == int.class || javaType == short.class || javaType == byte.class) {
            ToLongFunction<Object> getter = Accessors.toLong(type, accessor);
            if (javaType == long.class) {
                return (vector, data, slot, record) -> MemoryUtil.putLong(data + 8L * slot, getter.applyAsLong(record));
            }
            if (javaType == int.class) {
                return (vector, data, slot, record) -> MemoryUtil.putInt(data + 4L * slot, (int) getter.applyAsLong(record));
            }
            if (javaType == short.class) {
                return (vector, data, slot, record) -> MemoryUtil.putShort(data + 2L * slot,
                        (short) getter.applyAsLong(record));
            }
            return (vector, data, slot, record) -> MemoryUtil.putByte(data + slot, (byte) getter.applyAsLong(record));
        }
        if (javaType == double.class || javaType == float.class) {
            ToDoubleFunction<Object> getter = Accessors.toDouble(type, accessor);
            if (javaType == double.class) {
                return (vector, data, slot, record) -> MemoryUtil.putLong(data + 8L * slot,
                        Double.doubleToRawLongBits(getter.applyAsDouble(record)));
            }
            return (vector, data, slot, record) -> MemoryUtil.putInt(data + 4L * slot,
                    Float.floatToRawIntBits((float) getter.applyAsDouble(record)));
        }
        Function<Object, Object> getter = Accessors.toObject(type, accessor);
        if (javaType == boolean.class) {
            return (vector, data, slot, record) -> ((BitVector) vector).setSafe(slot, (Boolean) getter.apply(record) ? 1 : 0);
        }
        Codec codec = Codec.of(column);
        boolean nullable = column.nullable();
        return (vector, data, slot, record) -> {
            Object value = getter.apply(record);
            if (value != null) {
                codec.set(vector, slot, value);
            } else if (!nullable) {
                throw new ValueMismatch("null in a NOT NULL column; declare the column nullable");
            }
        };
    }
}
