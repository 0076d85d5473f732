package io.queuack.arrow;

/** The two Arrow IPC layouts a dataset can be written in. */
public enum IpcFormat {
    /**
     * The Arrow file format ({@code .arrow}, also called Feather v2): batches followed by a footer that
     * indexes them. The default: readers find any batch without scanning, and a file cut off before its
     * footer is detected as incomplete.
     */
    FILE,
    /**
     * The Arrow streaming format ({@code .arrows}): batches one after another with an end marker and no
     * footer, for consumers that read a pipe or a socket.
     */
    STREAM
}
