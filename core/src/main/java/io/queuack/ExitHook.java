package io.queuack;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One JVM shutdown hook for every queue of this JVM: when the JVM exits (a task's {@code System.exit},
 * SIGTERM, the end of {@code main}) open queues store their jobs' outcomes and close, so nothing running is
 * charged an attempt it did not use, and a DuckDB file is left whole.
 */
final class ExitHook {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private ExitHook() {
    }

    /** Installs {@code atExit} as the hook, once per JVM; later calls do nothing. */
    static void install(Runnable atExit) {
        if (INSTALLED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(atExit, "queuack-exit"));
            } catch (IllegalStateException shuttingDown) {
                INSTALLED.set(false);
            }
        }
    }
}
