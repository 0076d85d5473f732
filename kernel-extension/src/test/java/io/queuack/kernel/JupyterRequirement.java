package io.queuack.kernel;

import org.junit.jupiter.api.Assumptions;

/**
 * The tests that drive a real Jupyter client need Debian's client packages ({@code python3-nbclient},
 * {@code python3-jupyter-client}, {@code jupyter-nbconvert}). CI installs them ({@code .ci/run}) and checks
 * afterwards that these tests ran; on a machine without them they are skipped with a message saying how to
 * get them, so that {@code mvn verify} still works with only a JDK and Maven.
 */
public final class JupyterRequirement {

    static final String INSTALL = "sudo apt-get install python3-nbclient python3-jupyter-client jupyter-nbconvert"
            + " (or run .ci/run, which does it)";

    private JupyterRequirement() {
    }

    public static void check() throws Exception {
        boolean available = JupyterClient.available();
        if (!available) {
            System.err.println("SKIPPED: notebook tests need Debian's Jupyter client packages: " + INSTALL);
        }
        Assumptions.assumeTrue(available, "Jupyter client packages missing: " + INSTALL);
    }
}
