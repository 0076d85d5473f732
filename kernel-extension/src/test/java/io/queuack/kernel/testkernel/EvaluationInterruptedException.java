package io.queuack.kernel.testkernel;

/** A cell stopped by an interrupt, raised in the shape of JJava's own. */
public final class EvaluationInterruptedException extends RuntimeException {

    private final String source;

    EvaluationInterruptedException(String source) {
        super("Evaluator was interrupted while executing: '" + source + "'");
        this.source = source;
    }

    /** @return the snippet that was running */
    public String getSource() {
        return source;
    }
}
