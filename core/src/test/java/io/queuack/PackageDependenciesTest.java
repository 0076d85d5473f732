package io.queuack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the modules' one-way dependency (kernel-extension → arrow-streaming → core): core's sources import
 * nothing from Arrow, Tablesaw, the streaming module or the kernel libraries.
 */
class PackageDependenciesTest {

    private static final List<String> FORBIDDEN = List.of("org.apache.arrow", "tech.tablesaw", "io.queuack.arrow",
            "io.queuack.kernel", "org.dflib.jjava", "io.github.spencerpark");

    @Test
    void coreKnowsNothingOfArrowTablesawOrKernels() throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(source)) {
                    if (line.startsWith("import ") && FORBIDDEN.stream().anyMatch(line::contains)) {
                        offending.add(source.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
