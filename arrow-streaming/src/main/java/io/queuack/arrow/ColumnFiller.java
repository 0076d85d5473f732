package io.queuack.arrow;

/**
 * Fills one batch of columns at a time, straight into Arrow vectors: the fastest way to write a dataset.
 *
 * <pre>{@code
 * long[] next = {0};
 * Datasets.writer(path).writeColumns(schema, batch -> {
 *     BigIntVector ids = batch.vector("id", BigIntVector.class);
 *     int rows = (int) Math.min(batch.capacity(), total - next[0]);
 *     for (int i = 0; i < rows; i++) {
 *         ids.set(i, next[0]++);
 *     }
 *     return rows;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ColumnFiller {

    /**
     * @param batch empty vectors with room for {@link Batch#capacity()} rows
     * @return how many rows were filled (at most the capacity); 0 ends the dataset
     * @throws Exception any failure; the partial file is removed
     */
    int fill(Batch batch) throws Exception;
}
