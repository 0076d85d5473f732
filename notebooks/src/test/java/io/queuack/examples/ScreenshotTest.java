package io.queuack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queuack.kernel.JupyterClient;
import io.queuack.kernel.JupyterRequirement;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check a person would make: the executed quickstart, converted to HTML, rendered by a headless Chromium.
 * The page and its screenshot are kept in {@code target/rendered/} as build artifacts, to be looked at.
 */
class ScreenshotTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path OUT = Path.of("target", "rendered");

    @BeforeAll
    static void toolsInstalled() throws Exception {
        JupyterRequirement.check();
        boolean browser = Files.isExecutable(CHROMIUM);
        if (!browser) {
            System.err.println("SKIPPED: the rendering check needs Debian's chromium (.ci/run installs it)");
        }
        Assumptions.assumeTrue(browser, "chromium missing");
    }

    @Test
    void theExecutedQuickstartRendersInABrowser() throws Exception {
        Path work = Files.createDirectories(OUT.resolve("work"));
        ObjectNode quickstart = (ObjectNode) new ObjectMapper().readTree(Path.of("quickstart.ipynb").toFile());
        new JupyterClient(work, NotebooksTest.kernelClassPath(), true).executeCells("quickstart", quickstart);
        Path executed = work.resolve("quickstart.executed.ipynb");
        Path html = OUT.resolve("quickstart.html").toAbsolutePath();
        Path png = OUT.resolve("quickstart.png").toAbsolutePath();

        Path script = work.resolve("notebook_to_html.py");
        try (InputStream in = ScreenshotTest.class.getResourceAsStream("/notebook_to_html.py")) {
            Files.write(script, in.readAllBytes());
        }
        run(List.of(JupyterClient.PYTHON.toString(), script.toString(), executed.toString(), html.toString()));
        assertTrue(Files.readString(html).contains("data:image/svg+xml;base64"), "the DAG pictures are in the page");
        run(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1200,3400", "--screenshot=" + png, html.toUri().toString()));

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 50, "the page is not blank: " + colours.size() + " colours sampled");
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
