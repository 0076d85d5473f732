package io.queuack.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The module and access flags this JVM was started with, for child JVMs that need the same. */
final class ManagementFlags {

    private ManagementFlags() {
    }

    static List<String> current() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--add-opens") || flag.startsWith("--enable-native-access")
                        || flag.startsWith("--sun-misc-unsafe-memory-access"))
                .toList();
    }
}
