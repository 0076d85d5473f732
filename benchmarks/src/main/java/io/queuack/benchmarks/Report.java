package io.queuack.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects a benchmark's figures, prints them as they come, and writes {@code benchmarks/results/<name>.json}. */
final class Report {

    private final String benchmark;
    private final List<Figure> figures = new ArrayList<>();

    Report(String benchmark) {
        this.benchmark = benchmark;
        System.out.println("== " + benchmark + " — " + machine().get("summary"));
    }

    void add(Figure figure) {
        figures.add(figure);
        String line = String.format(Locale.ROOT, "%-44s %,14.0f %-8s", figure.name(), figure.value(), figure.unit());
        if (figure.peer() != null) {
            line += String.format(Locale.ROOT, "  %s: %,.0f  (ratio %.1fx)", figure.peer(), figure.peerValue(),
                    figure.ratio());
        }
        System.out.println(line);
    }

    /** Writes the figures as JSON under {@code results}. */
    void write(Path results) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", benchmark);
        json.put("date", Instant.now().toString());
        json.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        json.put("machine", machine());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Figure figure : figures) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", figure.name());
            entry.put("value", Math.round(figure.value() * 10) / 10.0);
            entry.put("unit", figure.unit());
            if (figure.peer() != null) {
                entry.put("peer", figure.peer());
                entry.put("peerValue", Math.round(figure.peerValue() * 10) / 10.0);
                entry.put("ratio", figure.ratio() == null ? null : Math.round(figure.ratio() * 100) / 100.0);
            }
            list.add(entry);
        }
        json.put("figures", list);
        try {
            Files.createDirectories(results);
            Path file = results.resolve(benchmark + ".json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
            System.out.println("Wrote " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the results of " + benchmark, e);
        }
    }

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("cpus", cpus);
        machine.put("memoryGiB", Math.round(memory / 1024.0 / 1024 / 1024 * 10) / 10.0);
        machine.put("summary", String.format(Locale.ROOT, "%d CPUs, %.0f GiB, %s, JDK %s", cpus,
                memory / 1024.0 / 1024 / 1024, machine.get("os"), System.getProperty("java.runtime.version")));
        return machine;
    }
}
