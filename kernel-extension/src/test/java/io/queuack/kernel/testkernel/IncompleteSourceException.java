package io.queuack.kernel.testkernel;

/** A cell whose end is not complete Java, raised in the shape of JJava's own. */
public final class IncompleteSourceException extends RuntimeException {

    private final String source;

    IncompleteSourceException(String source) {
        super(source);
        this.source = source;
    }

    /** @return the incomplete rest of the cell */
    public String getSource() {
        return source;
    }
}
