package io.queuack.worker;

import io.queuack.Queuack;
import io.queuack.TaskSet;
import io.queuack.WorkerPool;
import io.queuack.WorkerPoolBuilder;
import io.queuack.dashboard.Dashboard;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code java -jar queuack-worker-<version>-all.jar --store jdbc:postgresql://db/queues --class-path tasks.jar}:
 * a worker process that runs the jobs of a store with the tasks and DAGs of the {@link TaskSet}s on a class path,
 * until SIGTERM or Ctrl-C, which it answers by finishing (within the grace) what it runs. {@code queuack-worker copy
 * --from jobs.duckdb --to jdbc:postgresql://...} copies a queue between stores ({@link CopyCommand}).
 */
@Command(name = "queuack-worker", mixinStandardHelpOptions = true, versionProvider = WorkerCommand.Version.class,
        subcommands = CopyCommand.class,
        description = "Runs the jobs of a Queuack store with the tasks and DAGs of the TaskSets on a class path,"
                + " until SIGTERM or Ctrl-C (then it finishes running jobs within the shutdown grace).")
public final class WorkerCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern QUEUE = Pattern.compile("([^:\\s]{1,200})(?::(\\d{1,6}))?");

    @Option(names = "--store", defaultValue = "${env:QUEUACK_STORE}", paramLabel = "<location>",
            description = "A PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db?user=..&password=..) or a DuckDB"
                    + " file; default: the environment variable QUEUACK_STORE. Credentials are never printed.")
    String store;

    @Option(names = "--queue", paramLabel = "<name[:weight]>", description = "A queue to run, with its weight"
            + " (default 1); repeat for several (default: default).")
    List<String> queues = new ArrayList<>();

    @Option(names = "--concurrency", paramLabel = "<threads>", description = "Worker threads (default: processors,"
            + " at least 2).")
    Integer concurrency;

    @Option(names = "--shutdown-grace", defaultValue = "30s", paramLabel = "<duration>",
            description = "How long SIGTERM waits for running jobs before giving them back (e.g. 500ms, 30s, 5m;"
                    + " default 30s).")
    String shutdownGrace;

    @Option(names = "--lease", defaultValue = "30s", paramLabel = "<duration>", description = "How long a claimed"
            + " job stays with this worker without a heartbeat before any other may take it (default 30s).")
    String lease;

    @Option(names = "--poll", defaultValue = "1s", paramLabel = "<duration>", description = "How often to look"
            + " for jobs nobody announced (default 1s; on PostgreSQL new jobs are announced at once).")
    String poll;

    @Option(names = "--class-path", split = "[:;]", paramLabel = "<jar or folder>", description = "Where the"
            + " TaskSets are (their jars' META-INF/services/io.queuack.TaskSet lists them); ':'-separated.")
    List<Path> classPath = new ArrayList<>();

    @Option(names = "--tasks", paramLabel = "<class>", description = "A TaskSet class to register, besides those"
            + " found through META-INF/services; repeatable.")
    List<String> taskSets = new ArrayList<>();

    @Option(names = "--stop-with", paramLabel = "<pid>", description = "Stop (as on SIGTERM) when the process with"
            + " this id ends: for workers a notebook or another program starts and should not outlive it.")
    Long stopWith;

    @Option(names = "--metrics", paramLabel = "<[host:]port>", description = "Serve Prometheus metrics at"
            + " http://host:port/metrics (the queue's and the JVM's); a bare port listens on 127.0.0.1 only, 0 picks a"
            + " free port.")
    String metricsAddress;

    @Option(names = "--dashboard", paramLabel = "<[host:]port>", description = "Serve the store's web dashboard at"
            + " http://host:port/ (read-only unless --dashboard-actions); a bare port listens on 127.0.0.1 only, 0 picks"
            + " a free port.")
    String dashboardAddress;

    @Option(names = "--dashboard-actions", description = "Let browsers that open the printed dashboard address (it"
            + " carries a key) retry, cancel and purge jobs.")
    boolean dashboardActions;

    /** Kept: the JDK's logging forgets the level of a logger nobody references. */
    private static final Logger POOL_LOG = Logger.getLogger("com.zaxxer.hikari");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        quietLogging();
        System.exit(new CommandLine(new WorkerCommand()).execute(args));
    }

    /**
     * One line per log record (the JDK's default takes two), and the connection pool's start-up chatter left out;
     * a logging configuration of the user's ({@code -Djava.util.logging.config.file}) wins.
     */
    private static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        POOL_LOG.setLevel(Level.WARNING);
    }

    @Override
    public Integer call() throws Exception {
        if (store == null || store.isBlank()) {
            throw bad("Missing --store: a PostgreSQL JDBC URL or a DuckDB file (or the environment variable"
                    + " QUEUACK_STORE)");
        }
        Map<String, Integer> weights = queueWeights();
        Duration grace = duration("--shutdown-grace", shutdownGrace);
        Duration leaseTime = duration("--lease", lease);
        Duration pollTime = duration("--poll", poll);
        InetSocketAddress metricsAt = metricsAddress == null ? null : address("--metrics", metricsAddress);
        InetSocketAddress dashboardAt = dashboardAddress == null ? null : address("--dashboard", dashboardAddress);
        if (dashboardActions && dashboardAt == null) {
            throw bad("--dashboard-actions needs --dashboard <[host:]port>");
        }
        ProcessHandle parent = stopWith == null ? null : ProcessHandle.of(stopWith).orElseThrow(() -> bad(
                "--stop-with: no process " + stopWith + " is running"));
        ClassLoader loader = classLoader();
        Thread.currentThread().setContextClassLoader(loader);
        Queuack queue = Queuack.open(store);
        List<String> sets = register(queue, loader);
        if (queue.tasks().isEmpty() && queue.dags().isEmpty()) {
            queue.close();
            throw bad("No tasks to run: no TaskSet on the class"
                    + " path registered any (give --class-path with a jar whose META-INF/services/io.queuack.TaskSet"
                    + " names one, or --tasks <class>)");
        }
        WorkerPoolBuilder builder = queue.workers().shutdownGrace(grace).graceAtExit().visibilityTimeout(leaseTime)
                .pollInterval(pollTime);
        if (concurrency != null) {
            builder.concurrency(concurrency);
        }
        weights.forEach(builder::queue);
        MetricsEndpoint metrics = metricsAt == null ? null : serveMetrics(queue, metricsAt);
        Dashboard dashboard = dashboardAt == null ? null : serveDashboard(queue, dashboardAt, metrics);
        WorkerPool pool = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "queuack-worker-stop"));
        if (parent != null) {
            parent.onExit().thenRun(stopped::countDown);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("queuack-worker %s: store %s; queues %s; concurrency %d; lease %s; shutdown grace %s; poll %s;"
                        + " task sets %s; tasks %s; DAGs %s; pool %s%n", Version.number(), queue.description(),
                weights.isEmpty() ? "default" : weights, pool.info().concurrency(), lease, shutdownGrace, poll, sets,
                new TreeSet<>(queue.tasks()), new TreeSet<>(queue.dags()), pool.id());
        if (parent != null) {
            out.printf("queuack-worker: stops when process %d ends%n", parent.pid());
        }
        if (metrics != null) {
            out.printf("queuack-worker: metrics at %s%n", metrics.url());
        }
        if (dashboard != null) {
            out.printf("queuack-worker: dashboard at %s%n", dashboard.url());
        }
        out.flush();
        stopped.await();
        if (dashboard != null) {
            dashboard.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        return 0;
    }

    private MetricsEndpoint serveMetrics(Queuack queue, InetSocketAddress address) {
        try {
            return new MetricsEndpoint(queue, address);
        } catch (IOException | RuntimeException e) {
            queue.close();
            throw bad("--metrics: cannot listen on " + metricsAddress + " (" + e.getMessage() + ")");
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private Dashboard serveDashboard(Queuack queue, InetSocketAddress address, MetricsEndpoint metrics) {
        Dashboard.Builder builder = Dashboard.builder(queue).host(address.getHostString()).port(address.getPort());
        if (dashboardActions) {
            builder.allowActions();
        }
        try {
            return builder.start();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            queue.close();
            throw bad("--dashboard: cannot listen on " + dashboardAddress + " (" + e.getMessage() + ")");
        }
    }

    private InetSocketAddress address(String option, String text) {
        try {
            return ListenAddress.parse(option, text);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private Map<String, Integer> queueWeights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String queue : queues) {
            Matcher matcher = QUEUE.matcher(queue);
            if (!matcher.matches()) {
                throw bad("--queue takes a name with an optional"
                        + " weight, e.g. --queue images:3; got '" + queue + "'");
            }
            int weight = matcher.group(2) == null ? 1 : Integer.parseInt(matcher.group(2));
            weights.put(matcher.group(1), weight);
        }
        return weights;
    }

    private Duration duration(String option, String text) {
        Matcher matcher = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw bad(option + " takes a duration such as"
                    + " 500ms, 30s, 5m or 1h; got '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private ClassLoader classLoader() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                throw bad("--class-path: " + entry
                        + " does not exist");
            }
            urls.add(entry.toUri().toURL());
        }
        ClassLoader parent = WorkerCommand.class.getClassLoader();
        return urls.isEmpty() ? parent : new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    /** Registers every TaskSet found or named. @return their class names */
    private List<String> register(Queuack queue, ClassLoader loader) throws ReflectiveOperationException {
        List<String> names = new ArrayList<>();
        for (TaskSet set : ServiceLoader.load(TaskSet.class, loader)) {
            set.register(queue);
            names.add(set.getClass().getName());
        }
        for (String name : taskSets) {
            Class<?> type;
            try {
                type = Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw bad("--tasks: no class " + name
                        + " on the class path (add its jar with --class-path)");
            }
            if (!TaskSet.class.isAssignableFrom(type)) {
                throw bad("--tasks: " + name
                        + " does not implement io.queuack.TaskSet");
            }
            ((TaskSet) type.getConstructor().newInstance()).register(queue);
            names.add(name);
        }
        return names;
    }

    /** The version from the jar's manifest (a build from sources says so). */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() {
            String version = WorkerCommand.class.getPackage().getImplementationVersion();
            return version == null ? "(built from sources)" : version;
        }

        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"queuack-worker " + number()};
        }
    }
}
