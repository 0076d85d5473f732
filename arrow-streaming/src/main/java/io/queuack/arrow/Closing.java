package io.queuack.arrow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cleanup after a failure: closes and deletes, attaching any second failure to the first one. */
final class Closing {

    private Closing() {
    }

    static void quietly(Throwable primary, AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception | Error e) {
                primary.addSuppressed(e);
            }
        }
    }

    static void deleteQuietly(Throwable primary, Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
