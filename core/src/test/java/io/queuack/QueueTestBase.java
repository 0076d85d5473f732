package io.queuack;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens queues for a test and closes them (and their pools) afterwards. */
abstract class QueueTestBase {

    @TempDir
    Path dir;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    Queuack open(Backend backend) {
        return open(backend, UnaryOperator.identity());
    }

    Queuack open(Backend backend, UnaryOperator<QueuackBuilder> configure) {
        return closeLater(configure.apply(backend.builder(dir)).open());
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        opened.push(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }
}
