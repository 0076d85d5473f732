package io.queuack.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts with network stacks of their own: one network namespace per host, joined to this machine by a
 * veth pair ({@code 10.77.<n>.1} here, {@code 10.77.<n>.2} in the namespace), so that a host reaches PostgreSQL
 * over its own link, which a test can cut ({@code ip link set ... down}) and heal. Needs root and iproute2
 * (CI has both); without them the calling test is skipped with a message.
 */
final class Namespaces implements AutoCloseable {

    private final String tag = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    private final List<String> names = new ArrayList<>();

    /** Skips the calling test unless namespaces can be made here. */
    static void assumeAvailable() {
        boolean root = false;
        try {
            root = "0".equals(run(List.of("id", "-u")).strip()) && run(List.of("ip", "-V")).contains("iproute2");
        } catch (IOException | IllegalStateException e) {
            root = false;
        }
        assumeTrue(root, "Network-namespace hosts need root and iproute2 (ip netns); CI runs as root, .ci/postgres"
                + " installs iproute2");
    }

    /** Makes {@code count} hosts, numbered from 1. */
    Namespaces(int count) throws IOException {
        try {
            for (int host = 1; host <= count; host++) {
                String name = "qk" + tag + "h" + host;
                run(List.of("ip", "netns", "add", name));
                names.add(name);
                run(List.of("ip", "link", "add", outside(host), "type", "veth", "peer", "name", inside(host)));
                run(List.of("ip", "link", "set", inside(host), "netns", name));
                run(List.of("ip", "addr", "add", "10.77." + host + ".1/24", "dev", outside(host)));
                run(List.of("ip", "link", "set", outside(host), "up"));
                inNamespace(host, "ip", "addr", "add", "10.77." + host + ".2/24", "dev", inside(host));
                inNamespace(host, "ip", "link", "set", inside(host), "up");
                inNamespace(host, "ip", "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the command prefix that runs a program on host {@code host} */
    List<String> prefix(int host) {
        return List.of("ip", "netns", "exec", names.get(host - 1));
    }

    /** @return the address host {@code host} reaches this machine (and PostgreSQL) at */
    static String serverAddress(int host) {
        return "10.77." + host + ".1";
    }

    /** Cuts host {@code host} off: its link goes down, its connections stall. */
    void cut(int host) throws IOException {
        run(List.of("ip", "link", "set", outside(host), "down"));
    }

    /** Brings host {@code host}'s link back. */
    void heal(int host) throws IOException {
        run(List.of("ip", "link", "set", outside(host), "up"));
    }

    private String outside(int host) {
        return "qk" + tag + "o" + host;
    }

    private String inside(int host) {
        return "qk" + tag + "i" + host;
    }

    private void inNamespace(int host, String... command) throws IOException {
        List<String> full = new ArrayList<>(prefix(host));
        full.addAll(List.of(command));
        run(full);
    }

    static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command, e);
        }
    }

    @Override
    public void close() {
        for (int host = 1; host <= names.size(); host++) {
            try {
                run(List.of("ip", "link", "delete", outside(host)));
            } catch (IOException | IllegalStateException e) {
                // gone with its namespace
            }
        }
        for (String name : names) {
            try {
                run(List.of("ip", "netns", "delete", name));
            } catch (IOException | IllegalStateException e) {
                System.err.println("Could not delete network namespace " + name + ": " + e.getMessage());
            }
        }
    }
}
