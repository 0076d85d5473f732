package io.queuack.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.queuack.DagRun;
import io.queuack.Queuack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scale-out on PostgreSQL, in one run on the same server: a raw SQL baseline (SKIP LOCKED claims of 100 and
 * batched acknowledgements, in a loop on as many connections as the largest run has processes), Queuack with 1,
 * 2 and 4 worker processes (the worker command), JobRunr with its PostgreSQL storage on the same no-op workload,
 * a batch enqueue of 1,000,000 jobs (beside the server's own COPY of the same rows into a twin table), the
 * pickup latency from an enqueue in one process to the start in another (idle pool), and a 10,000-task DAG over 4 processes. Each measurement uses a schema of its own; fresh worker
 * processes run a warm-up (jobs, a DAG run) before they are measured.
 */
@Command(name = "scale-out", mixinStandardHelpOptions = true,
        description = "PostgreSQL and worker processes, side by side with a raw SQL loop and JobRunr.")
final class ScaleOutBenchmark implements Callable<Integer> {

    private static final String PEER = "JobRunr 8.7.0 PostgreSQL";
    private static final String RAW = "raw SQL loop";
    private static final String COPY_PEER = "PostgreSQL's own COPY of the same rows";
    /** Jobs each fresh worker process runs before a measurement, so that its JIT has compiled the hot paths. */
    private static final int WARM_UP_JOBS = 20_000;

    @Option(names = "--url", defaultValue = "${env:QUEUACK_TEST_POSTGRES}",
            description = "PostgreSQL JDBC URL with credentials (default: the environment variable QUEUACK_TEST_POSTGRES)")
    String url;

    @Option(names = "--jobs", description = "no-op jobs per end-to-end run (default: ${DEFAULT-VALUE})")
    int jobs = 200_000;

    @Option(names = "--processes", split = ",", description = "worker process counts (default: ${DEFAULT-VALUE})")
    List<Integer> processes = List.of(1, 2, 4);

    @Option(names = "--threads", description = "worker threads per process (default: ${DEFAULT-VALUE})")
    int threads = 4;

    @Option(names = "--batch", description = "jobs in the batch enqueue (default: ${DEFAULT-VALUE})")
    int batch = 1_000_000;

    @Option(names = "--max-seconds", description = "cap per end-to-end run (default: ${DEFAULT-VALUE})")
    double maxSeconds = 60;

    @Option(names = "--no-peer", description = "skip JobRunr")
    boolean noPeer;

    @Option(names = "--results", description = "folder for the JSON results (default: ${DEFAULT-VALUE})")
    Path results = Path.of("benchmarks", "results");

    @Override
    public Integer call() throws Exception {
        if (url == null || url.isBlank()) {
            System.err.println("scale-out needs a PostgreSQL server: --url jdbc:postgresql://...?user=..&password=..,"
                    + " or QUEUACK_TEST_POSTGRES (.ci/postgres starts one and prints its URL)");
            return 2;
        }
        Report report = new Report("scale-out");
        int connections = Collections.max(processes);
        double raw = rawLoop(connections);
        Double peer = noPeer ? null : jobRunr(connections * threads);
        for (int count : processes) {
            Figure figure = Figure.of("end-to-end " + count + " process" + (count == 1 ? "" : "es") + " × " + threads
                    + " threads", endToEnd(count), "jobs/s");
            report.add(figure.withPeer(RAW + " (" + connections + " connections)", raw));
            if (peer != null && count == connections) {
                report.add(Figure.of("end-to-end " + count + " processes, vs JobRunr (" + connections * threads
                        + " workers)", figure.value(), "jobs/s").withPeer(PEER, peer));
            }
        }
        double[] enqueue = batchEnqueue();
        report.add(Figure.of("batch enqueue of " + batch, enqueue[0], "jobs/s").withPeer(COPY_PEER, enqueue[1]));
        double[] pickup = pickupLatency(200);
        report.add(Figure.of("pickup latency p50 (enqueue here, start in another process)", pickup[0], "ms"));
        report.add(Figure.of("pickup latency p99", pickup[1], "ms"));
        report.add(Figure.of("10,000-task DAG over " + connections + " processes", dag(connections), "tasks/s"));
        report.write(results);
        return 0;
    }

    /** A schema of its own for one measurement, dropped afterwards. */
    private final class Schema implements AutoCloseable {
        final String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        final String url = ScaleOutBenchmark.this.url + (ScaleOutBenchmark.this.url.contains("?") ? "&" : "?")
                + "currentSchema=" + name;

        @Override
        public void close() throws SQLException {
            try (Connection connection = DriverManager.getConnection(ScaleOutBenchmark.this.url);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }

    private double rawLoop(int connections) throws Exception {
        try (Schema schema = new Schema(); Queuack queue = Queuack.open(schema.url)) {
            queue.enqueueAll("noop", Collections.nCopies(jobs, 1));
            ExecutorService loops = Executors.newFixedThreadPool(connections);
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                String owner = "raw-" + i;
                done.add(loops.submit(() -> rawClaimAndAck(schema.url, owner)));
            }
            int total = 0;
            for (Future<Integer> loop : done) {
                total += loop.get();
            }
            loops.shutdown();
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Claims 100 with SKIP LOCKED, acknowledges them with one statement, until nothing is left. */
    private static int rawClaimAndAck(String url, String owner) throws SQLException {
        int total = 0;
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement claim = connection.prepareStatement("WITH picked AS (SELECT id FROM jobs"
                     + " WHERE queue = 'default' AND status IN ('pending', 'failed') AND run_at <= now()"
                     + " ORDER BY priority DESC, run_at, id LIMIT 100 FOR UPDATE SKIP LOCKED)"
                     + " UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, owner = ?,"
                     + " lease_until = now() + interval '30 seconds' FROM picked WHERE jobs.id = picked.id"
                     + " RETURNING jobs.id");
             PreparedStatement ack = connection.prepareStatement("UPDATE jobs SET status = 'succeeded',"
                     + " finished_at = now(), result = '1', owner = NULL, lease_until = NULL"
                     + " WHERE id = ANY(?) AND status = 'running' AND owner = ?")) {
            while (true) {
                claim.setString(1, owner);
                List<Long> ids = new ArrayList<>(100);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                if (ids.isEmpty()) {
                    return total;
                }
                Array array = connection.createArrayOf("bigint", ids.toArray());
                ack.setArray(1, array);
                ack.setString(2, owner);
                total += ack.executeUpdate();
            }
        }
    }

    private double endToEnd(int processCount) throws Exception {
        try (Schema schema = new Schema(); Queuack queue = Queuack.open(schema.url);
             WorkerProcesses ignored = new WorkerProcesses(processCount, threads, schema.url)) {
            int warmUp = WARM_UP_JOBS * processCount;
            queue.enqueueAll("noop", Collections.nCopies(warmUp, 1));
            awaitSucceeded(schema.url, warmUp);
            queue.enqueueAll("noop", Collections.nCopies(jobs, 1));
            long start = System.nanoTime();
            long done = awaitSucceeded(schema.url, warmUp + jobs) - warmUp;
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }

    private long awaitSucceeded(String schemaUrl, long count) throws Exception {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        try (Connection connection = DriverManager.getConnection(schemaUrl);
             PreparedStatement select = connection.prepareStatement(
                     "SELECT count(*) FROM jobs WHERE status = 'succeeded'")) {
            while (true) {
                long done;
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    done = rs.getLong(1);
                }
                if (done >= count || System.nanoTime() > deadline) {
                    return done;
                }
                Thread.sleep(20);
            }
        }
    }

    private Double jobRunr(int workers) throws Exception {
        try (Schema schema = new Schema()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setSchema(schema.name);
            config.setMaximumPoolSize(workers + 4);
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema.name);
            }
            try (HikariDataSource dataSource = new HikariDataSource(config)) {
                PostgresStorageProvider storage = new PostgresStorageProvider(dataSource);
                JobRunr.configure().useStorageProvider(storage)
                        .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                                .andWorkerCount(workers).andPollInterval(Duration.ofSeconds(5)), false)
                        .initialize();
                try {
                    BackgroundJob.<Integer>enqueue(IntStream.range(0, jobs).boxed(), index -> JobRunrWorkload.noop(index));
                    long start = System.nanoTime();
                    JobRunr.getBackgroundJobServer().start();
                    long deadline = start + (long) (maxSeconds * 1e9);
                    long done = 0;
                    while (done < jobs && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        done = storage.countJobs(StateName.SUCCEEDED);
                    }
                    return done / ((System.nanoTime() - start) / 1e9);
                } finally {
                    JobRunr.destroy();
                }
            }
        }
    }

    /**
     * @return Queuack's rate enqueueing the batch, and the server's own: the same rows, read back as COPY text,
     *         copied by pgjdbc's CopyManager into a twin of the table (same columns and indexes) in one COPY
     */
    private double[] batchEnqueue() throws Exception {
        try (Schema schema = new Schema(); Queuack queue = Queuack.open(schema.url)) {
            List<Integer> arguments = Collections.nCopies(batch, 1);
            long start = System.nanoTime();
            queue.enqueueAll("noop", arguments);
            double ours = batch / ((System.nanoTime() - start) / 1e9);
            try (Connection connection = DriverManager.getConnection(schema.url);
                 Statement statement = connection.createStatement()) {
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                copy.copyOut("COPY jobs TO STDOUT", rows);
                statement.execute("CREATE TABLE jobs_twin (LIKE jobs INCLUDING ALL)");
                long copyStart = System.nanoTime();
                long copied = copy.copyIn("COPY jobs_twin FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
                return new double[] {ours, copied / ((System.nanoTime() - copyStart) / 1e9)};
            }
        }
    }

    /** @return p50 and p99 in ms of start minus enqueue, over {@code samples} jobs enqueued one by one */
    private double[] pickupLatency(int samples) throws Exception {
        try (Schema schema = new Schema(); Queuack queue = Queuack.open(schema.url);
             WorkerProcesses ignored = new WorkerProcesses(1, threads, schema.url)) {
            int warmUp = 50;
            for (int i = 0; i < warmUp + samples; i++) {
                queue.enqueue("noop", i);
                Thread.sleep(20);
            }
            awaitSucceeded(schema.url, warmUp + samples);
            double[] latencies = new double[samples];
            try (Connection connection = DriverManager.getConnection(schema.url); Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT extract(epoch FROM started_at - created_at) * 1000"
                         + " FROM jobs ORDER BY id OFFSET " + warmUp)) {
                for (int i = 0; i < samples && rs.next(); i++) {
                    latencies[i] = rs.getDouble(1);
                }
            }
            Arrays.sort(latencies);
            return new double[] {latencies[samples / 2], latencies[(int) Math.ceil(samples * 0.99) - 1]};
        }
    }

    private double dag(int processCount) throws Exception {
        try (Schema schema = new Schema(); Queuack queue = Queuack.open(schema.url);
             WorkerProcesses ignored = new WorkerProcesses(processCount, threads, schema.url)) {
            queue.submit(ScaleOutTasks.wide()).await(Duration.ofSeconds((long) maxSeconds * 5));   // warm-up
            long start = System.nanoTime();
            DagRun run = queue.submit(ScaleOutTasks.wide());
            run.await(Duration.ofSeconds((long) maxSeconds * 5));
            return ScaleOutTasks.GROUPS * (ScaleOutTasks.GROUP_WIDTH + 1) / ((System.nanoTime() - start) / 1e9);
        }
    }
}
