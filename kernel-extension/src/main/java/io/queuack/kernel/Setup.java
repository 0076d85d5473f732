package io.queuack.kernel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks the kernel's JVM flags: Arrow (datasets, {@code %%sql}) needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; on Java 23 and later it also wants
 * {@code --sun-misc-unsafe-memory-access=allow}, and DuckDB asks for {@code --enable-native-access=ALL-UNNAMED}
 * (without those two the JVM logs warnings, and later Java releases refuse). Without the first the extension says
 * so, once, with the fix for the kernel in use, in the first cell that shows a Queuack output or runs a magic (or
 * the cell that loaded the jar); the rest of the extension works regardless.
 */
public final class Setup {

    /** The flag Arrow needs. */
    public static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** The flag that lets Arrow use {@code sun.misc.Unsafe} on Java 23 and later without warnings. */
    public static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    /** The flag that lets DuckDB load its native library without warnings (Java 22 and later). */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private static final AtomicBoolean NOTICED = new AtomicBoolean();

    private Setup() {
    }

    /** @return the flags a kernel on this Java version should be started with, in order */
    public static List<String> flags() {
        return flags(Runtime.version().feature());
    }

    /** @return the flags a kernel on Java {@code release} should be started with ({@link #UNSAFE_ACCESS} exists from 23) */
    public static List<String> flags(int release) {
        List<String> flags = new ArrayList<>(List.of(ADD_OPENS, NATIVE_ACCESS));
        if (release >= 23) {
            flags.add(UNSAFE_ACCESS);
        }
        return flags;
    }

    /** At load: the advice goes to the cell that loaded the jar, or (loaded at start-up) to the kernel's log. */
    public static void atLoad(Notebook notebook) {
        if (notebook.inCell()) {
            noticeOnce().ifPresent(notebook::error);
        } else {
            missingFlags().ifPresent(System.err::println);
        }
    }

    /**
     * @return the missing-flag advice the first time it is asked for in this JVM, then empty: the extension shows
     *         it with its first output in a cell (at start-up there is no cell to show it in)
     */
    public static Optional<String> noticeOnce() {
        return missingFlags().filter(message -> NOTICED.compareAndSet(false, true));
    }

    /** @return what to tell the user if the flag is missing, or empty */
    public static Optional<String> missingFlags() {
        if (ByteBuffer.class.getModule().isOpen("java.nio", Setup.class.getModule())) {
            return Optional.empty();
        }
        String flags = String.join(" ", flags());
        return Optional.of("Queuack: Arrow datasets and %%sql need the JVM flag " + ADD_OPENS + ", which this kernel"
                + " was started without (DAGs, the queue and the other magics work without it). Add the flags to the"
                + " kernel's kernel.json and restart the kernel. JJava starts the kernel in a second JVM, so flags in"
                + " \"argv\" reach only its launcher: put them in \"env\": {\"JJAVA_JVM_OPTS\": \"" + flags + "\"}."
                + " IJava: in \"argv\" before \"-jar\". Either kernel: \"env\": {\"JDK_JAVA_OPTIONS\": \"" + flags + "\"}.");
    }
}
