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
    void jshellWithTheStartupScriptDrawsAndRunsADag() throws Exception {
        Path user = Files.writeString(dir.resolve("user.jsh"), String.join("\n",
                "Dag dag = Dag.builder(\"hello\").",
                "        task(\"a\", () -> 20).",
                "        task(\"b\", ctx -> ctx.upstream(\"a\", Integer.class) + 1).after(\"a\").",
                "        build();",
                "show(dag);",
                "DagRun r = run(dag);",
                "System.out.println(\"RESULT \" + r.result(\"b\", Integer.class));",
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
    }
}
