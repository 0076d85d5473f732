package io.queuack.worker;

import io.queuack.GuideRunner;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code java} block of {@code docs/dashboard.md} in order in one JShell session (see {@link GuideRunner});
 * here, since this module has both the metrics and the dashboard on its class path.
 */
class DashboardGuideTest {

    @TempDir
    Path dir;

    @Test
    void everyExampleOfTheGuideRuns() throws IOException {
        GuideRunner.runJavaBlocks(Path.of("..", "docs", "dashboard.md"), dir, "io.queuack.Queuack.closeAll();");
    }
}
