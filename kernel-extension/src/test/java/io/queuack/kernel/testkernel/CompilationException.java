package io.queuack.kernel.testkernel;

import jdk.jshell.SnippetEvent;

/** A snippet the compiler refused, raised in the shape of JJava's own: the snippet event travels with it. */
public final class CompilationException extends RuntimeException {

    private final transient SnippetEvent event;

    CompilationException(SnippetEvent event) {
        super("[snippet: [" + event.snippet().source().strip() + "], status: " + event.status() + "]");
        this.event = event;
    }

    /** @return the refused snippet's event (its diagnostics are the kernel's JShell's) */
    public SnippetEvent getBadSnippetCompilation() {
        return event;
    }
}
