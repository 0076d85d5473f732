package io.queuack.kernel;

import static io.queuack.kernel.DagMagicsNotebookTest.outputText;
import static io.queuack.kernel.DagMagicsNotebookTest.shortError;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule, backfill and limit magics in a real Jupyter client: a {@code %%dag} cell schedules its DAG, the
 * schedules list as a table with next fire times, pause, resume and delete; a backfill runs with its grid updated
 * live; limits list with their counts and a held job says why; mistakes are one short message.
 */
class ScheduleMagicsNotebookTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clientInstalled() throws Exception {
        JupyterRequirement.check();
    }

    @Test
    void aDagIsScheduledListedPausedAndBackfilledLive() throws Exception {
        List<JsonNode> cells = new JupyterClient(dir).executeCells("schedules", JupyterClient.notebook(
                "%%dag daily --cron 30 2 * * * --zone Europe/Paris --missed catch-up:7\n"
                        + "load : ctx.parameterOr(\"day\", String.class, \"none\")\n"
                        + "report <- load : { Thread.sleep(100); return \"report of \" + ctx.upstream(\"load\", String.class); }",
                "%schedule daily --every 15m --name quarter",
                "%schedule pause quarter",
                "%schedule list",
                "%schedule resume quarter",
                "%schedule delete quarter",
                "%backfill daily --from 2026-11-01 --to 2026-11-06 --concurrency 2",
                "%backfill daily --from 2026-11-01 --to 2026-11-06 --concurrency 2",
                "%schedule daily --cron 99 * * * *",
                "%backfill daily --from 2026-11-06 --to 2026-11-01",
                "%schedule daily --cron \"0 6 * * *\" --flavor quartz",
                "%schedule dialy --every 1h",
                "Session.queue().limits().set(JobLimit.queue(\"mail\").maxRunning(1));\n"
                        + "long held = Session.queue().enqueue(ctx -> 1, JobOptions.defaults().queue(\"mail\"));\n"
                        + "long other = Session.queue().enqueue(ctx -> 2, JobOptions.defaults().queue(\"mail\"));",
                "%queue limits",
                "%queue why 1",
                "%schedule --help"));

        String defined = outputText(cells.get(0).get("outputs"));
        assertFalse(defined.contains("ERROR"), defined);
        assertTrue(defined.contains("daily · DAG 'daily' · unix cron 30 2 * * *"), defined);
        assertTrue(defined.contains("in Europe/Paris · next 20"), defined);
        assertTrue(defined.contains("missed slots: catch-up:7 · active"), defined);
        assertTrue(defined.contains("its slots fire while a worker pool of the store runs"), defined);

        assertTrue(outputText(cells.get(1).get("outputs")).contains("quarter · DAG 'daily' · every 15m"));
        assertTrue(outputText(cells.get(2).get("outputs")).contains("· paused"));
        String listed = cells.get(3).get("outputs").toString();
        assertTrue(listed.contains("text/html") && listed.contains("<th>next fire</th>"), listed);
        assertTrue(listed.contains("<td>daily</td>") && listed.contains("<td>quarter</td>"), listed);
        assertTrue(outputText(cells.get(4).get("outputs")).contains("· active"));
        assertTrue(outputText(cells.get(5).get("outputs")).contains("Schedule quarter deleted"));

        JsonNode backfill = cells.get(6);
        String ran = outputText(backfill.get("outputs"));
        assertTrue(ran.contains("Backfill #") && ran.contains("of daily SUCCEEDED") && ran.contains("6 slots, 6 succeeded"),
                ran);
        assertTrue(ran.contains("report ✓✓✓✓✓✓"), "the grid as text: " + ran);
        assertTrue(backfill.get("outputs").toString().contains("image/svg+xml"), "the grid is drawn");
        assertTrue(backfill.path("metadata").path("queuack_display_updates").asInt() >= 2,
                "the live output was updated in place: " + backfill.get("metadata"));
        assertTrue(outputText(cells.get(7).get("outputs")).contains("SUCCEEDED"), "the same backfill again: done");

        assertTrue(shortError(cells.get(8).get("outputs")).startsWith("%schedule: Not a valid unix cron expression:"
                + " '99 * * * *'"));
        assertTrue(shortError(cells.get(9).get("outputs")).contains("The last day (2026-11-01) is before the first"));
        assertTrue(shortError(cells.get(10).get("outputs")).contains("Not a valid quartz cron expression: '0 6 * * *'"),
                cells.get(10).toString());
        assertTrue(shortError(cells.get(11).get("outputs")).contains("no variable or DAG named dialy"));

        String limits = outputText(cells.get(13).get("outputs"));
        assertTrue(limits.contains("queue:mail (one at a time): 0 running"), limits);
        String why = outputText(cells.get(14).get("outputs"));
        assertTrue(why.contains("No limit holds job #1 back now"), why);
        assertTrue(outputText(cells.get(15).get("outputs")).contains("%schedule <dag> --cron <expression>"));
    }
}
