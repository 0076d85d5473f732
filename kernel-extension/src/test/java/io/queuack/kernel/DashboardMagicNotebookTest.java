package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %queue dashboard serves the session queue's dashboard from the kernel and links to it, in a real client. */
class DashboardMagicNotebookTest {

    private static final Pattern LINK = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)(\\?key=[\\w-]+)?");

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    @Test
    void servesTheDashboardOfTheSessionQueue() throws Exception {
        String file = dir.resolve("session.duckdb").toString().replace("\\", "/");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<JsonNode> cells = new JupyterClient(dir).executeCells("dashboard", JupyterClient.notebook(
                "%queue open " + file,
                "Session.queue().register(\"hello\", String.class, (ctx, name) -> \"hello \" + name);\n"
                        + "Session.queue().enqueue(\"hello\", \"<b>Ada</b>\");",
                "%queue dashboard",
                "%queue dashboard --actions --port " + port,
                "var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(\n"
                        + "    URI.create(\"http://127.0.0.1:" + port + "/job?id=1\")).build(),"
                        + " java.net.http.HttpResponse.BodyHandlers.ofString());\n"
                        + "page.statusCode() + \" \" + page.body().contains(\"&lt;b&gt;Ada&lt;/b&gt;\") + \" \" + page.body().contains(\"<b>Ada\")",
                "%queue dashboard --port 70000",
                "%queue dashboard --colour red"));
        String readOnly = DagMagicsNotebookTest.outputText(cells.get(2).get("outputs"));
        assertTrue(readOnly.contains("read-only"), readOnly);
        assertTrue(cells.get(2).get("outputs").toString().contains("Open the Queuack dashboard"), "an HTML link");
        String withActions = DagMagicsNotebookTest.outputText(cells.get(3).get("outputs"));
        Matcher link = LINK.matcher(withActions);
        assertTrue(link.find() && link.group(2) != null, withActions);
        assertTrue(withActions.contains(":" + port + "/"), withActions);
        assertEquals("200 true false", DagMagicsNotebookTest.outputText(cells.get(4).get("outputs")).strip(),
                "the kernel serves the page, the job's HTML argument escaped");
        assertTrue(DagMagicsNotebookTest.outputText(cells.get(5).get("outputs"))
                .contains("--port takes 0 to 65535 (0: a free port), got '70000'"));
        assertTrue(DagMagicsNotebookTest.outputText(cells.get(6).get("outputs")).contains("--colour"));
    }
}
