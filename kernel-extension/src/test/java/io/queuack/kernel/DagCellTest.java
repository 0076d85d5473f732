package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact text form of a {@code %%dag} cell: what each line becomes, and every mistake named by line and column. */
class DagCellTest {

    private static final String CELL = """
            # sales, by region
            extract                          : List.of("north", "south")
            clean   <- extract retries=2     : ctx.upstream("extract", List.class).size()
            report  <- clean,extract timeout=30s mode=any priority=80 queue=slow version=v2 : {
                System.out.println("a::b and \\"x:y\\"");
              }

            refer <- report : List.of(1, 2).stream().map(String::valueOf).toList()
            """;

    @Test
    void linesBecomeTasksWithUpstreamOptionsAndBodies() {
        DagCell cell = DagCell.parse("daily", CELL);
        List<DagCell.TaskLine> tasks = cell.tasks();
        assertEquals(List.of("extract", "clean", "report", "refer"), tasks.stream().map(DagCell.TaskLine::name).toList());
        assertEquals(List.of(), tasks.get(0).upstream());
        assertEquals(List.of("extract"), tasks.get(1).upstream());
        assertEquals(Map.of("retries", "2"), tasks.get(1).options());
        DagCell.TaskLine report = tasks.get(2);
        assertEquals(List.of("clean", "extract"), report.upstream());
        assertEquals(List.of("timeout", "mode", "priority", "queue", "version"), List.copyOf(report.options().keySet()));
        assertEquals(3, report.body().size(), "indented lines continue the body");
        assertEquals(List.of(4, 5, 6), report.body().stream().map(DagCell.BodyLine::line).toList());
        String first = report.body().get(0).text();
        assertEquals(CELL.lines().toList().get(3).indexOf(": {") + 2, first.indexOf('{'), "columns match the cell");
        assertTrue(tasks.get(3).body().get(0).text().contains("String::valueOf"), "a method reference is no colon");
        assertEquals(8, tasks.get(3).line(), "blank lines and comments count as lines");
        cell.validate();
    }

    @Test
    void optionsBecomeBuilderCalls() {
        assertEquals(".retries(2)", DagCell.option("retries", "2"));
        assertEquals(".timeout(java.time.Duration.ofMillis(30000L))", DagCell.option("timeout", "30s"));
        assertEquals(".timeout(java.time.Duration.ofMillis(5400000L))", DagCell.option("timeout", "90m"));
        assertEquals(".mode(io.queuack.job.DependencyMode.ANY)", DagCell.option("mode", "any"));
        assertEquals(".queue(\"sl\\\"ow\")", DagCell.option("queue", "sl\"ow"));
    }

    private static String refused(String dag, String text) {
        return assertThrows(MagicException.class, () -> DagCell.parse(dag, text)).getMessage();
    }

    @Test
    void everyMistakeIsNamedByLineAndColumn() {
        assertEquals("%%dag line 1, column 8: expected ':' and the task's Java expression, e.g. `extract : 42`",
                refused("d", "extract"));
        assertEquals("%%dag line 2, column 11: the task has no body after ':'; write a Java expression or a { block }",
                refused("d", "a : 1\nb <- a   :   "));
        assertTrue(refused("d", "9lives : 1").startsWith("%%dag line 1, column 1: a task line starts with the task's"
                + " name"));
        String unknown = refused("d", "a : 1\nb <- a retry=2 : 2");
        assertTrue(unknown.startsWith("%%dag line 2, column 8: unknown option 'retry'"), unknown);
        assertTrue(unknown.contains("retries"), "did you mean: " + unknown);
        assertTrue(refused("d", "a mode=some : 1").contains("column 8: option mode=some is not valid: expected ALL or ANY"),
                "the column of the value");
        assertTrue(refused("d", "a priority=101 : 1").contains("expected 0 to 100"));
        assertTrue(refused("d", "a retries=1000 : 1").contains("expected a count"));
        assertTrue(refused("d", "a timeout=soon : 1").contains("a duration such as 500ms"));
        for (String huge : List.of("99999999999999999999h", "999999999999h", "36501d", "0s")) {
            String message = refused("d", "a timeout=" + huge + " : 1");
            assertTrue(message.contains("option timeout=" + huge + " is not valid"), message);
            assertTrue(message.contains("at most 36500 days"), message);
        }
        assertTrue(refused("d", "b extract : 1").contains("column 3: unexpected 'extract': upstream tasks go after '<-'"));
        assertEquals("%%dag d has no tasks: write one per line, e.g. `extract : List.of(1, 2, 3)`",
                refused("d", "# only a comment\n\n"));
        assertTrue(refused("bad name", "a : 1").contains("needs a DAG name first"));
        assertTrue(refused(null, "a : 1").contains("got none"));
    }

    @Test
    void theShapeIsCheckedBeforeAnyCodeIsCompiled() {
        String unknownUpstream = assertThrows(MagicException.class,
                () -> DagCell.parse("d", "a : 1\nb <- missing : 2").validate()).getMessage();
        assertTrue(unknownUpstream.startsWith("%%dag d: "), unknownUpstream);
        assertTrue(unknownUpstream.contains("missing"), unknownUpstream);
        String cycle = assertThrows(MagicException.class,
                () -> DagCell.parse("d", "a <- b : 1\nb <- a : 2").validate()).getMessage();
        assertTrue(cycle.toLowerCase(java.util.Locale.ROOT).contains("cycle"), cycle);
    }
}
