package io.queuack.arrow;

import io.queuack.GuideRunner;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every {@code java} block of {@code docs/streaming.md} in order in one JShell session. */
class StreamingGuideTest {

    @TempDir
    Path dir;

    @Test
    void everyExampleOfTheGuideRuns() throws IOException {
        GuideRunner.runJavaBlocks(Path.of("..", "docs", "streaming.md"), dir, "io.queuack.Queuack.closeAll();");
    }
}
