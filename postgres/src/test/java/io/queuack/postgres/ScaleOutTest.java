package io.queuack.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.job.RunStatus;
import io.queuack.storage.postgres.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four worker hosts, each in a network namespace of its own, reach PostgreSQL over their own links: many jobs
 * and a 10,000-task DAG run once each; a killed host, a host cut off for longer than its lease, a restarted
 * server and killed backends lose no job and acknowledge none twice (counted by a trigger, outside the queue).
 */
class ScaleOutTest {

    private static final int HOSTS = 4;

    @TempDir
    Path dir;

    private String schema;
    private String url;
    private Namespaces network;
    private final List<Host> hosts = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Namespaces.assumeAvailable();
        schema = TestDatabase.freshSchema();
        url = TestDatabase.url() + "&currentSchema=" + schema;
        network = new Namespaces(HOSTS);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Host host : hosts) {
            host.close();
        }
        Queuack.closeAll();
        if (network != null) {
            network.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    /** Starts host {@code n} (1-based) in its namespace, connecting over its own link. */
    private Host host(int n, int leaseSeconds) throws Exception {
        String remote = url.replaceFirst("//[^/:]+(:\\d+)?/", "//" + Namespaces.serverAddress(n) + "$1/");
        Host host = Host.start(network.prefix(n), remote, dir.resolve("host-" + n + ".log"), 4, leaseSeconds, 200);
        hosts.add(host);
        return host;
    }

    @Test
    void aHundredThousandJobsOverFourHostsRunOnceEach() throws Exception {
        int jobs = 100_000;
        try (Queuack queue = Queuack.open(url)) {
            WorkerHost.register(queue, null);
            for (int n = 1; n <= HOSTS; n++) {
                host(n, 30);
            }
            long start = System.nanoTime();
            queue.enqueueAll("record", Collections.nCopies(jobs, 1));
            Executions.awaitAllSucceeded(queue, jobs, Duration.ofMinutes(5));
            System.out.printf("%,d jobs over %d namespace hosts: %.1f s%n", jobs, HOSTS,
                    (System.nanoTime() - start) / 1e9);
        }
        Map<String, Integer> runs = Executions.count(hosts);
        assertEquals(jobs, runs.size(), "every job ran");
        assertTrue(runs.values().stream().allMatch(n -> n == 1), "each exactly once");
    }

    @Test
    void hostsInTheirOwnNetworksFireEachSlotOfAScheduleOnce() throws Exception {
        try (Queuack queue = Queuack.open(url)) {
            WorkerHost.register(queue, null);
            host(1, 30);
            host(2, 30);
            SlotsOnHosts.everySlotFiresOnce(queue, hosts, 6);
        }
    }

    @Test
    void aTenThousandTaskDagWithFanInsOverFourHostsSucceeds() throws Exception {
        try (Queuack queue = Queuack.open(url)) {
            for (int n = 1; n <= HOSTS; n++) {
                host(n, 30);
            }
            long start = System.nanoTime();
            DagRun run = queue.submit(WorkerHost.wide(null));
            assertEquals(RunStatus.SUCCEEDED, run.await(Duration.ofMinutes(5)));
            System.out.printf("10,000-task DAG over %d namespace hosts: %.1f s%n", HOSTS,
                    (System.nanoTime() - start) / 1e9);
        }
        Map<String, Integer> runs = Executions.count(hosts);
        assertEquals(WorkerHost.GROUPS * (WorkerHost.GROUP_WIDTH + 1), runs.size(), "every task ran");
        assertTrue(runs.values().stream().allMatch(n -> n == 1), "each exactly once");
        assertTrue(hosts.stream().allMatch(h -> {
            try {
                return !h.executions().isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "every host ran tasks");
    }

    @Test
    void aKilledHostACutLinkARestartedServerAndKilledBackendsLoseNothing() throws Exception {
        int jobs = 20_000;
        int leaseSeconds = 3;
        try (Queuack queue = Queuack.open(url)) {
            WorkerHost.register(queue, null);
            AckAudit.install(TestDatabase.url(), schema);
            for (int n = 1; n <= HOSTS; n++) {
                host(n, leaseSeconds);
            }
            queue.enqueueAll("slow", Collections.nCopies(jobs, 10));

            Executions.awaitAllSucceeded(queue, jobs / 10, Duration.ofMinutes(2));
            hosts.get(0).kill();
            System.out.println("killed host 1 (kill -9)");

            Executions.awaitAllSucceeded(queue, jobs / 4, Duration.ofMinutes(2));
            network.cut(2);
            System.out.println("cut host 2 off for " + 3 * leaseSeconds + " s");
            Thread.sleep(Duration.ofSeconds(3L * leaseSeconds).toMillis());
            network.heal(2);

            Executions.awaitAllSucceeded(queue, jobs / 2, Duration.ofMinutes(2));
            restartServer();
            System.out.println("restarted PostgreSQL");

            Executions.awaitAllSucceeded(queue, jobs * 7 / 10, Duration.ofMinutes(2));
            int killed = terminateBackends();
            System.out.println("terminated " + killed + " backends");

            Executions.awaitAllSucceeded(queue, jobs, Duration.ofMinutes(5));
        }
        Map<Long, Long> firstAck = new HashMap<>();
        Map<Long, Integer> acks = AckAudit.acks(TestDatabase.url(), schema, firstAck);
        assertEquals(jobs, acks.size(), "every job was acknowledged");
        assertTrue(acks.values().stream().allMatch(n -> n == 1), "none twice: " + acks.entrySet().stream()
                .filter(e -> e.getValue() > 1).limit(5).toList());
        Map<Long, Long> lastStarts = Executions.lastStarts(hosts);
        assertEquals(jobs, lastStarts.size(), "every job ran");
        List<Long> ranAfterAck = lastStarts.entrySet().stream()
                .filter(e -> e.getValue() > firstAck.get(e.getKey())).map(Map.Entry::getKey).limit(5).toList();
        assertEquals(List.of(), ranAfterAck, "no acknowledged job ran again");
        long again = Executions.count(hosts).values().stream().filter(n -> n > 1).count();
        System.out.println(again + " jobs ran twice (lost with the killed host or re-claimed from the cut one)");
    }

    private static void restartServer() throws Exception {
        String version = Namespaces.run(List.of("pg_lsclusters", "-h")).strip().split("\\s+")[0];
        Namespaces.run(List.of("runuser", "-u", "postgres", "--", "pg_ctlcluster", version, "main", "restart"));
    }

    /** Kills every backend of the test role but this one (the hosts', the feed's, the submitter's). */
    private static int terminateBackends() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.url());
             Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE usename = current_user AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
