package io.queuack.benchmarks;

/** Hands a value from a JShell snippet to the kernel benchmark, which runs in the same JVM. */
public final class SnippetValue {

    /** The last value handed over. */
    public static volatile Object value;

    private SnippetValue() {
    }
}
