package io.queuack.kernel;

import io.queuack.error.QueuackException;
import java.util.function.Supplier;

/**
 * How every kernel adapter runs a magic so that no mistake reaches the user as a kernel's stack trace: a mistake
 * in its input ({@link MagicException}, {@link SnippetException}) or a refusal Queuack explains itself (a
 * {@link QueuackException} or an {@link IllegalArgumentException}: an unknown job or run, SQL DuckDB refused, ...)
 * is printed as its short message on the cell's error stream, and the session carries on. Anything else is a
 * defect: one line in the cell, the stack trace in the kernel's log. The missing-flag advice
 * ({@link Setup#noticeOnce()}) and a notice about a run an interrupt stopped come first, once.
 */
public final class MagicErrors {

    private static final System.Logger LOG = System.getLogger(MagicErrors.class.getName());

    private MagicErrors() {
    }

    /**
     * Runs {@code magic} for the magic named {@code name} (e.g. {@code "%%dag"}).
     *
     * @return null, the value a kernel's magic registry shows nothing for
     */
    public static Object report(Notebook notebook, String name, Supplier<?> magic) {
        Setup.noticeOnce().ifPresent(notebook::error);
        Session.takeNotice().ifPresent(notebook::error);
        try {
            magic.get();
        } catch (QueuackException | IllegalArgumentException e) {
            notebook.error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name + " failed unexpectedly", e);
            notebook.error(name + " failed unexpectedly: " + e + " (a Queuack defect; the kernel's log has the stack trace)");
        }
        return null;
    }
}
