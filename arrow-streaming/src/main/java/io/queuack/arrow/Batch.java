package io.queuack.arrow;

import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One batch being filled by a {@link ColumnFiller}: the dataset's vectors, emptied and sized for
 * {@link #capacity()} rows. Set values with the vectors' own {@code set(index, value)}; leave a slot
 * unset for null.
 */
public final class Batch {

    private final VectorSchemaRoot root;
    private final int capacity;

    Batch(VectorSchemaRoot root, int capacity) {
        this.root = root;
        this.capacity = capacity;
    }

    /** @return how many rows this batch holds at most */
    public int capacity() {
        return capacity;
    }

    /**
     * @param name column name
     * @param type the vector class of its type, e.g. {@code BigIntVector} for LONG, {@code Float8Vector} for
     *             DOUBLE, {@code VarCharVector} for STRING
     * @return the column's vector
     */
    public <V extends FieldVector> V vector(String name, Class<V> type) {
        Objects.requireNonNull(type, "type");
        FieldVector vector = root.getVector(Objects.requireNonNull(name, "name"));
        if (vector == null) {
            throw new IllegalArgumentException("No column '" + name + "' in this dataset; its columns are "
                    + root.getSchema().getFields().stream().map(field -> field.getName()).toList());
        }
        if (!type.isInstance(vector)) {
            throw new IllegalArgumentException("Column '" + name + "' is a " + vector.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(vector);
    }
}
