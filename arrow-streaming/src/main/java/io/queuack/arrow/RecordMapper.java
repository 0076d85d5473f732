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
    private final MethodHandle constructor;

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
            Constructor<R> canonical = type.getDeclaredConstructor(parameters);
            canonical.setAccessible(true);
            this.constructor = MethodHandles.lookup().unreflectConstructor(canonical)
                    .asType(MethodType.genericMethodType(components.length))
                    .asSpreader(Object[].class, components.length);
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

    /** @param vectors the batch's vectors, in component order */
    R row(List<FieldVector> vectors, int row, long index) {
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < arguments.length; i++) {
            FieldVector vector = vectors.get(i);
            if (vector.isNull(row)) {
                if (components[i].getType().isPrimitive()) {
                    throw new DatasetException("Row " + index + ", column '" + components[i].getName() + "' is null,"
                            + " but component " + components[i].getType() + " " + components[i].getName() + " of "
                            + type.getSimpleName() + " cannot hold null; make it a boxed type");
                }
                continue;
            }
            arguments[i] = converters[i].apply(codecs[i].get(vector, row));
        }
        try {
            @SuppressWarnings("unchecked")
            R record = (R) constructor.invokeExact(arguments);
            return record;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new DatasetException("Row " + index + ": the constructor of " + type.getSimpleName() + " threw " + e, e);
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
