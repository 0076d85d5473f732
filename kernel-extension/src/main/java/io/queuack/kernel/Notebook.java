package io.queuack.kernel;

/**
 * What the magics need from a kernel, whichever it is (JJava, IJava, a plain JShell): evaluate Java in the
 * user's session and show outputs, one of them updatable in place. Each kernel adapter implements it.
 */
public interface Notebook {

    /** @return the value of the last snippet of {@code code}, evaluated in the user's session (null if none) */
    Object eval(String code);

    /** Shows an output below the cell. */
    void display(MimeBundle output);

    /** Shows an output that can be replaced in place later (live progress). */
    LiveOutput displayLive(MimeBundle first);

    /** An output shown by {@link #displayLive}. */
    interface LiveOutput {
        /** Replaces the output. */
        void update(MimeBundle output);
    }
}
