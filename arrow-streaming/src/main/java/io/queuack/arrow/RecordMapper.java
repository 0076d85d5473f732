package io.queuack.arrow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;

/**
 * Builds records from a batch's rows: each component takes the column of its name, through the canonical
 * constructor. Numbers convert between widths when the value fits (an INT column fills a {@code long}
 * component; a LONG column an {@code int} one if every value fits); DECIMAL also fills {@code double}.
 */
final class RecordMapper<R> {

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(byte.class, Byte.class, short.class, Short.class,
            int.class, Integer.class, long.class, Long.class, float.class, Float.class, double.class, Double.class,
            boolean.class, Boolean.class);

    private final Class<R> type;
    private final RecordComponent[] components;
    private final Codec[] codecs;
    private final Function<Object, Object>[] converters;
    private final MethodHandle canonical;

    @SuppressWarnings("unchecked")
    RecordMapper(Class<R> type, DatasetSchema schema) {
        this.type = type;
        this.components = type.getRecordComponents();
        this.codecs = new Codec[components.length];
        this.converters = new Function[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Column column = schema.column(component.getName()).orElseThrow(() -> new IllegalArgumentException(
                    "Record " + type.getSimpleName() + " has component '" + component.getName() + "', but the"
                            + " dataset has no such column; its columns are " + schema.names()));
            codecs[i] = Codec.of(column);
            converters[i] = converter(column, component);
        }
        try {
            Class<?>[] parameters = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<R> constructor = type.getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            this.canonical = MethodHandles.lookup().unreflectConstructor(constructor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot call the canonical constructor of " + type.getName() + ": " + e
                    + ". Make the record public, or open its package to queuack-arrow", e);
        }
    }

    /** @return the component names: the columns to read */
    static List<String> columnsOf(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record; rows are read into records"
                    + " (or read tables() for Tablesaw tables)");
        }
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /**
     * @param vectors a cursor's vectors, in component order (the same objects for every batch of the cursor)
     * @return a reader of one row of those vectors into a record: a method handle tree that reads primitive
     *         columns into primitive components without boxing and calls the canonical constructor directly
     */
    RowReader<R> bind(List<FieldVector> vectors) {
        MethodHandle[] getters = new MethodHandle[components.length];
        for (int i = 0; i < components.length; i++) {
            getters[i] = MethodHandles.insertArguments(getter(i), 0, vectors.get(i));
        }
        MethodHandle filled = MethodHandles.filterArguments(canonical, 0, getters);
        MethodHandle reader = MethodHandles.permuteArguments(filled, MethodType.methodType(type, int.class),
                new int[components.length]).asType(MethodType.methodType(Object.class, int.class));
        return (row, index) -> {
            try {
                @SuppressWarnings("unchecked")
                R record = (R) (Object) reader.invokeExact(row);
                return record;
            } catch (NullInPrimitive e) {
                RecordComponent component = components[e.component];
                if (!codecs[e.component].column.nullable()) {
                    throw new DatasetException("Row " + index + ", column '" + component.getName() + "' is declared NOT"
                            + " NULL but reads as null: the dataset file is damaged (its validity bitmap was changed"
                            + " after it was written). Write the dataset again from its source.");
                }
                throw new DatasetException("Row " + index + ", column '" + component.getName() + "' is null, but"
                        + " component " + component.getType() + " " + component.getName() + " of "
                        + type.getSimpleName() + " cannot hold null; make it a boxed type");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new DatasetException("Row " + index + ": the constructor of " + type.getSimpleName() + " threw "
                        + e, e);
            }
        };
    }

    /** Reads one row of the vectors a {@link #bind} was given. */
    interface RowReader<R> {
        R read(int row, long index);
    }

    /** @return (FieldVector, int) → the component's type */
    private MethodHandle getter(int i) {
        Class<?> target = components[i].getType();
        ColumnType column = codecs[i].column.type();
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            if (target == long.class && column == ColumnType.LONG || target == double.class && column == ColumnType.DOUBLE) {
                MethodHandle read = lookup.findStatic(RecordMapper.class, target == long.class ? "readLong" : "readDouble",
                        MethodType.methodType(target, int.class, FieldVector.class, int.class));
                return MethodHandles.insertArguments(read, 0, i);
            }
            MethodHandle read = lookup.findStatic(RecordMapper.class, "readValue", MethodType.methodType(Object.class,
                    int.class, boolean.class, Codec.class, Function.class, FieldVector.class, int.class));
            return MethodHandles.insertArguments(read, 0, i, target.isPrimitive(), codecs[i], converters[i])
                    .asType(MethodType.methodType(target, FieldVector.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reader methods missing", e);
        }
    }

    private static long readLong(int component, FieldVector vector, int row) {
        if (vector.isNull(row)) {
            throw new NullInPrimitive(component);
        }
        return vector.getDataBuffer().getLong(8L * row);
    }

    private static double readDouble(int component, FieldVector vector, int row) {
        if (vector.isNull(row)) {
            throw new NullInPrimitive(component);
        }
        return vector.getDataBuffer().getDouble(8L * row);
    }

    private static Object readValue(int component, boolean primitive, Codec codec, Function<Object, Object> converter,
            FieldVector vector, int row) {
        if (vector.isNull(row)) {
            if (primitive) {
                throw new NullInPrimitive(component);
            }
            return null;
        }
        return converter.apply(codec.get(vector, row));
    }

    /** A null met on its way into a primitive component. */
    private static final class NullInPrimitive extends RuntimeException {
        final int component;

        NullInPrimitive(int component) {
            super(null, null, false, false);
            this.component = component;
        }
    }

    private static Function<Object, Object> converter(Column column, RecordComponent component) {
        Class<?> target = BOXES.getOrDefault(component.getType(), component.getType());
        Class<?> source = column.type().javaType();
        if (target.equals(source)) {
            return Function.identity();
        }
        boolean sourceIsNumber = Number.class.isAssignableFrom(source);
        if (sourceIsNumber && (target == Long.class || target == Integer.class || target == Short.class
                || target == Byte.class) && column.type() != ColumnType.FLOAT && column.type() != ColumnType.DOUBLE
                && column.type() != ColumnType.DECIMAL) {
            return value -> narrow(((Number) value).longValue(), target, column);
        }
        if (sourceIsNumber && target == Double.class) {
            return value -> ((Number) value).doubleValue();
        }
        if (sourceIsNumber && target == Float.class && column.type() != ColumnType.DOUBLE) {
            return value -> ((Number) value).floatValue();
        }
        if (sourceIsNumber && target == BigDecimal.class && column.type() != ColumnType.FLOAT
                && column.type() != ColumnType.DOUBLE) {
            return value -> BigDecimal.valueOf(((Number) value).longValue());
        }
        throw new IllegalArgumentException("Column '" + column.name() + "' is " + column.type() + " (" + source
                .getSimpleName() + "), which does not fit component " + component.getType().getSimpleName() + " "
                + component.getName() + " of " + component.getDeclaringRecord().getSimpleName());
    }

    private static Object narrow(long value, Class<?> target, Column column) {
        Object narrowed = target == Long.class ? (Object) value : target == Integer.class ? (Object) (int) value
                : target == Short.class ? (Object) (short) value : (Object) (byte) value;
        if (((Number) narrowed).longValue() != value) {
            throw new DatasetException("Column '" + column.name() + "' holds " + value + ", which does not fit a "
                    + target.getSimpleName() + " component; widen the component");
        }
        return narrowed;
    }
}
