package io.queuack.postgres;

import io.queuack.GuideRunner;
import io.queuack.storage.postgres.TestDatabase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every {@code java} block of {@code docs/scale-out.md}, its server URL pointed at schemas of this test. */
class ScaleOutGuideTest {

    private static final String GUIDE_URL = "jdbc:postgresql://localhost:5432/queuack?user=queuack&password=queuack";

    @TempDir
    Path dir;

    private final String queueSchema = TestDatabase.freshSchema();
    private final String copySchema = TestDatabase.freshSchema();

    @AfterEach
    void drop() {
        TestDatabase.dropSchema(queueSchema);
        TestDatabase.dropSchema(copySchema);
    }

    @Test
    void theScaleOutGuideRuns() throws Exception {
        String url = TestDatabase.url();
        Map<String, String> urls = new LinkedHashMap<>();   // the longer first: it contains the other
        urls.put(GUIDE_URL + "&currentSchema=graduated", url + "&currentSchema=" + copySchema);
        urls.put(GUIDE_URL, url + "&currentSchema=" + queueSchema);
        GuideRunner.runJavaBlocks(Path.of("..", "docs", "scale-out.md"), dir, urls, "Queuack.closeAll();");
    }
}
