package io.queuack.arrow;

import io.queuack.dag.MapBody;
import io.queuack.dag.TaskBody;
import io.queuack.job.JobContext;
import io.queuack.job.Task;
import io.queuack.job.TaskContext;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * Turns code that produces rows into a task whose output is an Arrow dataset: the rows are written batch by
 * batch into the run's data folder (at constant memory), and the task's result is the {@link Dataset}
 * handle, which downstream tasks read with {@code context.upstream("name", Dataset.class)}.
 *
 * <pre>{@code
 * Generator<Sale> sales = Generator.of(Sale.class).batchSize(100_000);
 * Dag dag = Dag.builder("etl")
 *         .task("sales", sales.rows(ctx -> readSales(ctx.parameter("day", String.class))))
 *         .task("total", ctx -> {
 *             double total = 0;
 *             for (Table batch : ctx.upstream("sales", Dataset.class).read().columns("amount").tables()) {
 *                 total += batch.doubleColumn("amount").sum();
 *             }
 *             return total;
 *         }).after("sales")
 *         .build();
 * }</pre>
 *
 * <p>Files go to {@code <data directory>/runs/<run id>/<task>.arrow} for DAG tasks (fan-out elements:
 * {@code <index>.arrow} in their sub-run's folder) and {@code <data directory>/jobs/<job id>/<task>.arrow} for
 * plain jobs; see {@link io.queuack.QueuackBuilder#dataDirectory(Path)}. A retried attempt replaces the file.
 *
 * @param <R> the row type: a record
 */
public final class Generator<R> {

    /** Produces a DAG task's rows. */
    @FunctionalInterface
    public interface Rows<R> {
        /** @return the rows; the stream is closed after writing */
        Stream<? extends R> rows(TaskContext context) throws Exception;
    }

    /** Produces a DAG task's rows asynchronously. */
    @FunctionalInterface
    public interface Publisher<R> {
        /** @return a publisher of the rows; it is asked for one batch at a time (back-pressure) */
        Flow.Publisher<? extends R> rows(TaskContext context) throws Exception;
    }

    /** Produces the rows of one fan-out element. */
    @FunctionalInterface
    public interface ElementRows<E, R> {
        /** @return the element's rows; the stream is closed after writing */
        Stream<? extends R> rows(TaskContext context, E element) throws Exception;
    }

    /** Produces a plain queue job's rows from its argument. */
    @FunctionalInterface
    public interface JobRows<A, R> {
        /** @return the job's rows; the stream is closed after writing */
        Stream<? extends R> rows(JobContext context, A argument) throws Exception;
    }

    private final Class<R> type;
    private final int batchSize;
    private final IpcFormat format;
    private final String fileName;

    private Generator(Class<R> type, int batchSize, IpcFormat format, String fileName) {
        this.type = type;
        this.batchSize = batchSize;
        this.format = format;
        this.fileName = fileName;
    }

    /** @return a generator of rows of this record type, with default batch size and the file format */
    public static <R> Generator<R> of(Class<R> type) {
        DatasetSchema.ofRecord(type);
        ArrowRuntime.checkOpens();
        return new Generator<>(type, DatasetWriter.DEFAULT_BATCH_SIZE, IpcFormat.FILE, null);
    }

    /** @param rows rows per batch, 1 to {@link DatasetWriter#MAX_BATCH_SIZE} */
    public Generator<R> batchSize(int rows) {
        return new Generator<>(type, DatasetWriter.checkBatchSize(rows), format, fileName);
    }

    /** @param format the IPC layout of the file */
    public Generator<R> format(IpcFormat format) {
        return new Generator<>(type, batchSize, Objects.requireNonNull(format, "format"), fileName);
    }

    /**
     * @param name the file's name inside the run's (or job's) folder, e.g. {@code "sales.arrow"} or
     *             {@code "parts/sales.arrow"}; by default the task's name with {@code .arrow}
     * @throws IllegalArgumentException if the name is absolute, has a {@code ..} part or names no file
     */
    public Generator<R> fileName(String name) {
        Objects.requireNonNull(name, "name");
        Path relative = Path.of(name);
        boolean climbs = false;
        for (Path part : relative) {
            climbs |= part.toString().equals("..");
        }
        if (name.isBlank() || relative.isAbsolute() || climbs || relative.normalize().toString().isEmpty()) {
            throw new IllegalArgumentException("File name '" + name + "' must be a relative path inside the run's data"
                    + " folder, without a leading '/' or any '..' part, e.g. \"sales.arrow\" or \"parts/sales.arrow\"");
        }
        return new Generator<>(type, batchSize, format, name);
    }

    /** @return a DAG task body that writes the rows {@code rows} returns */
    public TaskBody rows(Rows<R> rows) {
        Objects.requireNonNull(rows, "rows");
        return context -> write(context.runDirectory(), context.taskName(), rows.rows(context));
    }

    /** @return a DAG fan-out body that writes each element's rows to a dataset of its own */
    public <E> MapBody<E> perElement(ElementRows<E, R> rows) {
        Objects.requireNonNull(rows, "rows");
        return (context, element) -> write(context.runDirectory(), context.taskName(), rows.rows(context, element));
    }

    /** @return a plain queue task (register it with {@code queue.register(name, argumentType, task)}) */
    public <A> Task<A> job(JobRows<A, R> rows) {
        Objects.requireNonNull(rows, "rows");
        return (context, argument) -> write(context.dataDirectory().resolve("jobs").resolve(Long.toString(
                context.jobId())), context.task(), rows.rows(context, argument));
    }

    /**
     * @return an async DAG task body: rows arrive from a {@link Flow.Publisher}, one batch requested at a time
     *         (the publisher's thread writes each batch); the task holds no thread while it waits
     */
    public TaskBody publisher(Publisher<R> rows) {
        Objects.requireNonNull(rows, "rows");
        return context -> {
            Path target = target(context.runDirectory(), context.taskName());
            BatchFile file = new BatchFile(target, format, DatasetSchema.ofRecord(type), batchSize);
            PublisherDrain<R> drain = new PublisherDrain<>(type, file);
            try {
                rows.rows(context).subscribe(drain);
            } catch (Exception | Error e) {
                file.abort(e);
                throw e;
            }
            return drain.result();
        };
    }

    private Dataset write(Path folder, String task, Stream<? extends R> rows) {
        if (rows == null) {
            throw new IllegalStateException("The generator of task '" + task + "' returned null instead of a Stream");
        }
        return Datasets.writer(target(folder, task)).batchSize(batchSize).format(format).writeRecords(rows, type);
    }

    private Path target(Path folder, String task) {
        Path target = folder.resolve(fileName != null ? fileName : task.replaceAll("[^A-Za-z0-9._-]", "_") + ".arrow");
        if (!target.normalize().startsWith(folder.normalize())) {
            throw new IllegalStateException("The file " + target + " of task '" + task + "' would be outside its folder "
                    + folder);
        }
        return target;
    }

    @Override
    public String toString() {
        return "Generator[" + type.getSimpleName() + ", batchSize " + batchSize + ", " + format
                + (fileName == null ? "" : ", " + fileName) + "]";
    }

    /** Receives rows from a publisher, one batch requested at a time. */
    private static final class PublisherDrain<R> implements Flow.Subscriber<R> {
        private final BatchFile file;
        private final RowSink.Drain<R> drain;
        private final CompletableFuture<Dataset> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long received;

        PublisherDrain(Class<R> type, BatchFile file) {
            this.file = file;
            RecordRows<R> sink = RecordRows.of(type, file.schema());
            sink.bind(file);
            this.drain = new RowSink.Drain<>(sink, file);
        }

        CompletableFuture<Dataset> result() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            this.subscription = given;
            given.request(file.capacity());
        }

        @Override
        public void onNext(R row) {
            if (result.isDone()) {
                return;
            }
            try {
                drain.accept(row);
            } catch (RuntimeException | Error e) {
                subscription.cancel();
                fail(e);
                return;
            }
            if (++received % file.capacity() == 0) {
                subscription.request(file.capacity());
            }
        }

        @Override
        public void onError(Throwable failure) {
            fail(failure);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            try {
                drain.flushRest();
                result.complete(file.finish());
            } catch (RuntimeException | Error e) {
                fail(e);
            }
        }

        private void fail(Throwable failure) {
            file.abort(failure);
            result.completeExceptionally(failure);
        }
    }
}
