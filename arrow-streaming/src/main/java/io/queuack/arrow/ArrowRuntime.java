package io.queuack.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The one Arrow root allocator of this JVM, created after checking that the JVM lets Arrow reach
 * {@code java.nio}'s internals. Every writer and reader takes a child allocator and closes it, so a leak
 * shows up as an error at once instead of as native memory that grows.
 */
final class ArrowRuntime {

    static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private static volatile RootAllocator root;

    private ArrowRuntime() {
    }

    /** @return a fresh child allocator; close it when done */
    static BufferAllocator allocator(String purpose) {
        return root().newChildAllocator(purpose, 0, Long.MAX_VALUE);
    }

    /** @return native bytes Arrow holds now */
    static long bytesInUse() {
        return root == null ? 0 : root.getAllocatedMemory();
    }

    /** @return the most native bytes Arrow held at once since the first dataset was opened */
    static long peakBytes() {
        return root == null ? 0 : root.getPeakMemoryAllocation();
    }

    private static RootAllocator root() {
        RootAllocator current = root;
        if (current == null) {
            synchronized (ArrowRuntime.class) {
                current = root;
                if (current == null) {
                    checkOpens();
                    current = new RootAllocator(Long.MAX_VALUE);
                    root = current;
                }
            }
        }
        return current;
    }

    /** @throws ArrowSetupException if {@code java.nio} is not open to Arrow's memory module */
    static void checkOpens() {
        Module arrow = BufferAllocator.class.getModule();
        if (!Object.class.getModule().isOpen("java.nio", arrow)) {
            throw new ArrowSetupException(missingOpensMessage());
        }
    }

    static String missingOpensMessage() {
        return "Apache Arrow needs the JVM flag " + ADD_OPENS + " (Java 17 and later), and this JVM was started"
                + " without it. Add it to the JVM's command line: `java " + ADD_OPENS + " ...`; or set it for every"
                + " JVM with the environment variable JDK_JAVA_OPTIONS=\"" + ADD_OPENS + "\"; for Maven tests put it"
                + " in surefire's <argLine>. For a Jupyter kernel, edit its kernel.json and restart the kernel: JJava"
                + " starts the kernel in a second JVM, so put it in \"env\": {\"JJAVA_JVM_OPTS\": \"" + ADD_OPENS + "\"}"
                + " (flags in \"argv\" reach only JJava's launcher); IJava takes it in \"argv\" before \"-jar\"; either"
                + " takes \"env\": {\"JDK_JAVA_OPTIONS\": \"" + ADD_OPENS + "\"}.";
    }
}
