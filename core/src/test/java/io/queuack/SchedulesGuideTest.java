package io.queuack;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every {@code java} block of {@code docs/schedules.md} in order in one JShell session (see {@link GuideRunner}). */
class SchedulesGuideTest {

    @TempDir
    Path dir;

    @Test
    void everyExampleOfTheGuideRuns() throws IOException {
        GuideRunner.runJavaBlocks(Path.of("..", "docs", "schedules.md"), dir, "Queuack.closeAll();");
    }
}
