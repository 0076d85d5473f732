package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up script gives a plain {@code jshell} the API, text renderings and a terminal progress bar. */
class JShellScriptTest {

    @TempDir
    Path dir;

    @Test
    void jshellWithTheStartupScriptDrawsRunsSchedulesAndBackfillsADag() throws Exception {
        Path user = Files.writeString(dir.resolve("user.jsh"), String.join("\n",
                "Dag dag = Dag.builder(\"hello\").",
                "        task(\"a\", () -> 20).",
                "        task(\"b\", ctx -> ctx.upstream(\"a\", Integer.class) + 1).after(\"a\").",
                "        build();",
                "show(dag);",
                "DagRun r = run(dag);",
                "System.out.println(\"RESULT \" + r.result(\"b\", Integer.class));",
                "queue.schedules().save(Schedule.dag(\"nightly\", dag).cron(\"30 2 * * *\").zone(\"Europe/Paris\"));",
                "schedules();",
                "BackfillRun week = backfill(Backfill.days(dag, java.time.LocalDate.parse(\"2026-11-01\"),",
                "        java.time.LocalDate.parse(\"2026-11-07\")).concurrency(2));",
                "/exit", ""));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                "--class-path", JupyterClient.testClassPath(), "-R" + Setup.ADD_OPENS, "-R--enable-native-access=ALL-UNNAMED",
                "--startup", "DEFAULT", "--startup", Path.of("jshell", "queuack.jsh").toAbsolutePath().toString(),
                user.toString());
        Process jshell = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jshell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jshell.waitFor(3, TimeUnit.MINUTES), output);

        assertEquals(0, jshell.exitValue(), output);
        assertTrue(output.contains("└── ○ a"), "the DAG as a text tree:\n" + output);
        assertTrue(output.contains("Run #1 of hello SUCCEEDED"), output);
        assertTrue(output.contains("RESULT 21"), output);
        assertTrue(output.contains("nightly · DAG 'hello' · unix cron 30 2 * * * (at 02:30) in Europe/Paris"), output);
        assertTrue(output.contains("Backfill #") && output.contains("of hello SUCCEEDED") && output.contains("7 slots, 7"
                + " succeeded"), output);
        assertTrue(output.contains("b    ✓✓✓✓✓✓✓"), "the backfill's grid:\n" + output);
    }
}
