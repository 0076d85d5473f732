package io.queuack.kernel;

/**
 * What the magics need from a kernel, whichever it is (JJava, IJava, a plain JShell): evaluate Java in the
 * user's session and show outputs, one of them updatable in place. Each kernel adapter implements it.
 */
public interface Notebook {

    /**
     * @return the value of the last snippet of {@code code}, evaluated in the user's session (null if none)
     * @throws SnippetException if the kernel's compiler refused the code, it was incomplete, or it threw
     */
    Object eval(String code);

    /** Shows an output below the cell. */
    void display(MimeBundle output);

    /** Shows an output that can be replaced in place later (live progress). */
    LiveOutput displayLive(MimeBundle first);

    /** Writes a line to the cell's error stream. */
    void error(String line);

    /**
     * @return whether outputs reach a cell now: false between cells (an interrupted cell has already ended while
     *         its magic stops), when the kernel drops them
     */
    boolean inCell();

    /** An output shown by {@link #displayLive}. */
    interface LiveOutput {
        /** Replaces the output. */
        void update(MimeBundle output);
    }
}
