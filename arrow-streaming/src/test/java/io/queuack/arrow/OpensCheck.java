package io.queuack.arrow;

import java.nio.file.Path;

/** Child JVM program for {@link BadInputTest}: writes a dataset, printing the error if that is refused. */
public final class OpensCheck {

    public record Row(long id) {
    }

    private OpensCheck() {
    }

    public static void main(String[] args) {
        try {
            Datasets.writer(Path.of(args[0])).writeRecords(java.util.List.of(new Row(1)), Row.class);
            System.out.println("WROTE");
        } catch (ArrowSetupException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
