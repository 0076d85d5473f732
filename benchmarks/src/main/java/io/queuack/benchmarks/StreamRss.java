package io.queuack.benchmarks;

import io.queuack.arrow.Dataset;
import io.queuack.arrow.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Measures the peak resident memory of a whole streaming pipeline (records written as Arrow, read back as
 * Tablesaw tables) in a fresh JVM with a fixed, pre-touched heap, so that nothing else the benchmark did
 * counts and what remains would grow only with the data.
 */
final class StreamRss {

    private StreamRss() {
    }

    /** Child entry point: {@code StreamRss <rows> <folder>}; prints {@code VmHWM <kB>}. */
    public static void main(String[] args) throws IOException {
        long rows = Long.parseLong(args[0]);
        Path file = Path.of(args[1]).resolve("rss-" + rows + ".arrow");
        Dataset dataset = Datasets.writer(file).writeRecords(StreamBenchmark.points(rows), StreamBenchmark.Point.class);
        double sum = 0;
        for (Table batch : dataset.read().tables()) {
            sum += batch.doubleColumn("value").sum();
        }
        if (sum != 0.5 * rows * (rows - 1) / 2) {
            throw new IllegalStateException("wrong sum " + sum);
        }
        Files.delete(file);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("VmHWM " + line.replaceAll("\\D", ""));
            }
        }
    }

    /** @return the child's peak RSS in kB */
    static long measure(long rows, Path folder, String heap) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFlags.current());
        // A fixed heap, touched from the start: otherwise RSS also grows as the collector first touches heap pages a
        // longer run reaches, which is the JVM's doing and bounded by the heap size, not the data's.
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-XX:+AlwaysPreTouch");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StreamRss.class.getName());
        command.add(Long.toString(rows));
        command.add(folder.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the RSS child failed: " + output);
        }
        return output.lines().filter(line -> line.startsWith("VmHWM ")).mapToLong(line -> Long.parseLong(line.substring(6)))
                .findFirst().orElseThrow(() -> new IllegalStateException("the RSS child printed no VmHWM: " + output));
    }
}
