package io.queuack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queuack.error.LostCommitsException;
import io.queuack.job.JobOptions;
import io.queuack.storage.Storage;
import io.queuack.storage.StorageProvider;
import io.queuack.storage.duckdb.DuckDbStorage;
import io.queuack.storage.memory.MemoryStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Configures and opens a {@link Queuack}. Every setter checks its input; {@link #open()} opens the
 * store, applies schema migrations and recovers jobs an earlier process left unfinished.
 *
 * <pre>{@code
 * Queuack queue = Queuack.builder()
 *         .duckdb(Path.of("jobs.duckdb"))
 *         .defaultQueue("etl")
 *         .maxResultBytes(256 * 1024)
 *         .backpressure(Backpressure.warnAt(100_000).rejectAbove(1_000_000))
 *         .open();
 * }</pre>
 */
public final class QueuackBuilder {

    /** Default limit for one job's result as JSON: 1 MiB. */
    public static final long DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
    /** Default limit for one job's argument as JSON: 16 MiB. */
    public static final long DEFAULT_MAX_ARGUMENT_BYTES = 16L * 1024 * 1024;
    /** The queue jobs go to when their options name none. */
    public static final String DEFAULT_QUEUE = "default";

    private Supplier<Storage> storage = MemoryStorage::new;
    private int duckdbThreads = DuckDbStorage.defaultThreads();
    private String defaultQueue = DEFAULT_QUEUE;
    private Clock clock = Clock.systemUTC();
    private ObjectMapper mapper;
    private long maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
    private long maxArgumentBytes = DEFAULT_MAX_ARGUMENT_BYTES;
    private Backpressure backpressure = Backpressure.unbounded();
    private Path duckdbFile;
    private boolean acceptLostCommits;
    private Path dataDirectory;

    QueuackBuilder() {
    }

    /** Stores jobs in a DuckDB file (created with its folder if missing). */
    public QueuackBuilder duckdb(Path file) {
        Objects.requireNonNull(file, "file");
        this.storage = () -> DuckDbStorage.open(file, duckdbThreads, acceptLostCommits);
        this.duckdbFile = file;
        return this;
    }

    /**
     * Stores jobs at a location a store on the class path opens: a PostgreSQL JDBC URL
     * ({@code jdbc:postgresql://host:5432/database?user=app}, with the queuack-postgres jar), shared by worker
     * processes on many hosts. Credentials in the URL never appear in messages.
     */
    public QueuackBuilder url(String location) {
        Objects.requireNonNull(location, "location");
        this.storage = () -> StorageProvider.openLocation(location);
        this.duckdbFile = null;
        return this;
    }

    /**
     * Opens a DuckDB file even if it lost committed changes (its {@code .wal} was deleted or damaged after a
     * crash, see {@link LostCommitsException}): the queue goes on with what the file holds, and a warning
     * says what is missing. Without it such a file is refused.
     */
    public QueuackBuilder acceptLostCommits() {
        this.acceptLostCommits = true;
        return this;
    }

    /** Stores jobs in a DuckDB database in memory (queryable with SQL, gone when closed). */
    public QueuackBuilder duckdbInMemory() {
        this.storage = () -> DuckDbStorage.inMemory(duckdbThreads);
        this.duckdbFile = null;
        return this;
    }

    /**
     * @param threads DuckDB threads per query, 1 to 256; one per available processor by default. Applies to
     *                the DuckDB stores.
     */
    public QueuackBuilder duckdbThreads(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("DuckDB threads must be between 1 and 256, was " + threads);
        }
        this.duckdbThreads = threads;
        return this;
    }

    /** Stores jobs in plain Java collections (fastest, gone when closed). This is the builder's default. */
    public QueuackBuilder inMemory() {
        this.storage = MemoryStorage::new;
        this.duckdbFile = null;
        return this;
    }

    /** Stores jobs in a storage backend of your own (it should pass the storage contract tests). */
    public QueuackBuilder storage(Supplier<? extends Storage> storage) {
        Objects.requireNonNull(storage, "storage");
        this.storage = storage::get;
        this.duckdbFile = null;
        return this;
    }

    /** @param queue the queue for jobs that name none, and for worker pools that listen to none */
    public QueuackBuilder defaultQueue(String queue) {
        this.defaultQueue = JobOptions.checkQueueName(queue);
        return this;
    }

    /** @param clock the time source (tests pass a clock they control); UTC system clock by default */
    public QueuackBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param mapper the Jackson mapper for arguments and results; the queue uses a copy, with its read limits
     *               raised to the largest JSON a job may store. One with default typing enabled is refused: stored
     *               JSON must not name classes to instantiate.
     */
    public QueuackBuilder objectMapper(ObjectMapper mapper) {
        this.mapper = JsonCodec.checkNoDefaultTyping(Objects.requireNonNull(mapper, "mapper"));
        return this;
    }

    /** @param bytes the largest argument one job may store, as UTF-8 JSON; 1 byte to 64 MiB, 16 MiB by default */
    public QueuackBuilder maxArgumentBytes(long bytes) {
        this.maxArgumentBytes = jsonLimit("maxArgumentBytes", bytes);
        return this;
    }

    /** @param bytes the largest result one job may store, as UTF-8 JSON; 1 byte to 64 MiB */
    public QueuackBuilder maxResultBytes(long bytes) {
        this.maxResultBytes = jsonLimit("maxResultBytes", bytes);
        return this;
    }

    private static long jsonLimit(String what, long bytes) {
        if (bytes < 1 || bytes > JsonCodec.MAX_JSON_BYTES) {
            throw new IllegalArgumentException(what + " must be between 1 and " + JsonCodec.MAX_JSON_BYTES
                    + " (64 MiB), was " + bytes + "; large data belongs in files (see the streaming module, queuack-arrow)");
        }
        return bytes;
    }

    /** @param backpressure limits on waiting jobs per queue; unbounded by default */
    public QueuackBuilder backpressure(Backpressure backpressure) {
        this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
        return this;
    }

    /**
     * @param folder where tasks keep the files they write, such as Arrow datasets (created on first use). By
     *               default a folder beside the DuckDB file ({@code jobs.duckdb.data}), or a temporary folder,
     *               deleted on close, for stores that keep nothing after close
     */
    public QueuackBuilder dataDirectory(Path folder) {
        this.dataDirectory = Objects.requireNonNull(folder, "folder");
        return this;
    }

    /** @return the store at {@code location}: a JDBC URL a store provider opens, or else a DuckDB file path */
    static Storage storageAt(String location) {
        return location.startsWith("jdbc:") ? StorageProvider.openLocation(location)
                : DuckDbStorage.open(Path.of(location));
    }

    /** Opens the queue. */
    public Queuack open() {
        JsonCodec codec = new JsonCodec(mapper == null ? JsonCodec.defaultMapper() : mapper, maxArgumentBytes,
                maxResultBytes);
        Storage store = Objects.requireNonNull(storage.get(), "the storage supplier returned null");
        try {
            DataDirectory data = dataDirectory != null ? DataDirectory.at(dataDirectory)
                    : duckdbFile != null ? DataDirectory.besideFile(duckdbFile) : DataDirectory.temporary();
            return new Queuack(new Engine(store, clock, codec, backpressure, defaultQueue, data));
        } catch (RuntimeException e) {
            try {
                store.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }
}
