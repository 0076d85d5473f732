package io.queuack.kernel;

import io.queuack.QueuackException;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * How every kernel adapter runs a magic: a mistake in its input ({@link MagicException}) or a refusal Queuack
 * explains itself (a {@link QueuackException} or an {@link IllegalArgumentException}: an unknown job or run, SQL
 * DuckDB refused, ...) is printed as a short message on the cell's error stream instead of a stack trace, and
 * the session carries on. The missing-flag advice ({@link Setup#noticeOnce()}) comes first, once.
 */
public final class MagicErrors {

    private MagicErrors() {
    }

    /** Runs {@code magic}; returns null, the value a kernel's magic registry shows nothing for. */
    public static Object report(PrintStream err, Supplier<?> magic) {
        Setup.noticeOnce().ifPresent(err::println);
        try {
            magic.get();
        } catch (QueuackException | IllegalArgumentException e) {
            err.println(e.getMessage());
        }
        return null;
    }
}
