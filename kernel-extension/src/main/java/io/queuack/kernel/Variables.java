package io.queuack.kernel;

import java.util.Optional;

/** Looks up a variable of the user's session through a {@link Notebook}, telling a missing one from one that is null. */
final class Variables {

    /** Stands for a variable that holds null. */
    static final Object NULL = new Object();

    private Variables() {
    }

    /**
     * @return the value of the session variable {@code name} ({@link #NULL} if it holds null), or empty if the session
     *         has none (the kernel's compiler refused the name, or it is a Java keyword)
     */
    static Optional<Object> find(Notebook notebook, String name) {
        if (DagCell.isReserved(name)) {
            return Optional.empty();
        }
        try {
            Object value = notebook.eval(name);
            return Optional.of(value == null ? NULL : value);
        } catch (SnippetException e) {
            if (e.kind() == SnippetException.Kind.REJECTED || e.kind() == SnippetException.Kind.INCOMPLETE) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
