package io.queuack.kernel;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks the kernel's JVM flags: Arrow (datasets, {@code %%sql}) needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. Without it the extension says so, with the exact fix, in
 * the kernel's log when it loads and in the first cell that shows a Queuack output or runs a magic; the rest of
 * the extension works regardless.
 */
public final class Setup {

    /** The flag Arrow needs. */
    public static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private static final AtomicBoolean NOTICED = new AtomicBoolean();

    private Setup() {
    }

    /**
     * @return the missing-flag advice the first time it is asked for in this JVM, then empty: the extension shows
     *         it with its first output in a cell (at load time there is no cell to show it in)
     */
    public static Optional<String> noticeOnce() {
        return missingFlags().filter(message -> NOTICED.compareAndSet(false, true));
    }

    /** @return what to tell the user if the flag is missing, or empty */
    public static Optional<String> missingFlags() {
        if (ByteBuffer.class.getModule().isOpen("java.nio", Setup.class.getModule())) {
            return Optional.empty();
        }
        return Optional.of("Queuack: Arrow datasets and %%sql need the JVM flag " + ADD_OPENS + ", which this kernel"
                + " was started without. Add it to the kernel's start command: in its kernel.json put \"" + ADD_OPENS
                + "\" in \"argv\" before \"-jar\", or set \"env\": {\"JDK_JAVA_OPTIONS\": \"" + ADD_OPENS + "\"}"
                + " (JJava also reads JJAVA_JVM_OPTS), then restart the kernel. DAGs, the queue and the other magics"
                + " work without it.");
    }
}
