package io.queuack.kernel;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Checks the kernel's JVM flags when the extension loads: Arrow (datasets, {@code %%sql}) needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. Without it the user is told at once, with the exact
 * fix, instead of meeting an exception later; the rest of the extension works regardless.
 */
public final class Setup {

    /** The flag Arrow needs. */
    public static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private Setup() {
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
