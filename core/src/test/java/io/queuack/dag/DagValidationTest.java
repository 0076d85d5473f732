package io.queuack.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.job.DependencyMode;
import io.queuack.job.JobOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A DAG is checked before anything is stored, and every problem is reported at once. */
class DagValidationTest {

    @Test
    void everyProblemIsReportedTogether() {
        DagValidationException invalid = assertThrows(DagValidationException.class, () -> Dag.builder("etl")
                .task("extract", () -> 1)
                .task("transform", () -> 2).after("extract", "load")
                .task("load", () -> 3).after("transfrom", "transform")
                .task("extract", () -> 4)
                .task("report", () -> 5).after("report")
                .task("lonely", () -> 6).mode(DependencyMode.ANY)
                .task("late", () -> 7).options(JobOptions.defaults().delay(Duration.ofMinutes(1)))
                .build());
        List<String> problems = invalid.problems();
        assertTrue(problems.contains("task 'extract' is defined more than once"), problems.toString());
        assertTrue(problems.contains("task 'load' depends on 'transfrom', which is not a task of this DAG"
                + " (did you mean 'transform'?)"), problems.toString());
        assertTrue(problems.contains("task 'report' depends on itself"), problems.toString());
        assertTrue(problems.contains("task 'lonely' is in ANY mode but has no upstream tasks; add .after(...) or drop"
                + " .mode(ANY)"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("task 'late' set a delay")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.equals("cycle: transform -> load -> transform")
                || p.equals("cycle: load -> transform -> load")), problems.toString());
        assertEquals(6, problems.size(), problems.toString());
        assertTrue(invalid.getMessage().startsWith("DAG 'etl' is not valid (6 problems):"), invalid.getMessage());
    }

    @Test
    void longCyclesShowTheirWholePath() {
        DagValidationException invalid = assertThrows(DagValidationException.class, () -> Dag.builder("ring")
                .task("a", () -> 1).after("c")
                .task("b", () -> 2).after("a")
                .task("c", () -> 3).after("b")
                .task("d", () -> 4).after("c")
                .build());
        String cycle = invalid.problems().get(0);
        assertTrue(cycle.startsWith("cycle: "), cycle);
        List<String> path = List.of(cycle.substring("cycle: ".length()).split(" -> "));
        assertEquals(4, path.size(), cycle);
        assertEquals(path.get(0), path.get(3));
        assertEquals(List.of("a", "b", "c"), path.subList(0, 3).stream().sorted().toList());
    }

    @Test
    void emptyDagsAndBadNamesAreRefused() {
        assertEquals(List.of("it has no tasks; add one with .task(name, body)"),
                assertThrows(DagValidationException.class, () -> Dag.builder("empty").build()).problems());
        List<String> problems = assertThrows(DagValidationException.class, () -> Dag.builder("has space")
                .task("bad:name", () -> 1).build()).problems();
        assertTrue(problems.contains("the DAG name 'has space' must be 1-100 letters, digits or _ . -"), problems.toString());
        assertTrue(problems.contains("task name 'bad:name' must be 1-100 letters, digits or _ . -"), problems.toString());
    }

    @Test
    void optionsAreCheckedWhereTheyAreSet() {
        assertThrows(IllegalArgumentException.class, () -> Dag.builder("x").task("a", () -> 1).retries(-1));
        assertThrows(IllegalArgumentException.class, () -> Dag.builder("x").task("a", () -> 1).priority(101));
        assertThrows(IllegalArgumentException.class, () -> Dag.builder("x").task("a", () -> 1).timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.defaults().concurrency(0));
        List<String> problems = assertThrows(DagValidationException.class, () -> Dag.builder("x")
                .defaults(JobOptions.defaults().ttl(Duration.ofSeconds(1)).idempotencyKey("k"))
                .task("a", () -> 1).build()).problems();
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void aSubDagNeedsANameOfItsOwn() {
        Dag inner = Dag.builder("same").task("a", () -> 1).build();
        List<String> problems = assertThrows(DagValidationException.class, () -> Dag.builder("same")
                .subDag("nested", inner).build()).problems();
        assertTrue(problems.get(0).contains("same name as its parent"), problems.toString());
    }

    @Test
    void validDagsKnowTheirLevelsAndFinalTasks() {
        Dag dag = Dag.builder("shape")
                .task("a", () -> 1)
                .task("b", () -> 2).after("a")
                .task("c", () -> 3).after("a")
                .task("d", () -> 4).after("b", "c")
                .task("e", () -> 5)
                .build();
        assertEquals(List.of(List.of("a", "e"), List.of("b", "c"), List.of("d")), dag.levels());
        assertEquals(List.of("d", "e"), dag.finalTasks());
        assertEquals(List.of("b", "c"), dag.task("d").upstream());
        assertThrows(IllegalArgumentException.class, () -> dag.task("z"));
    }

    @Test
    void aTenThousandTaskDagIsValidated() {
        DagBuilder builder = Dag.builder("big");
        for (int i = 0; i < 10_000; i++) {
            DagBuilder.TaskStep step = builder.task("t" + i, () -> null);
            if (i >= 100) {
                step.after("t" + (i - 100), "t" + (i - 1 - (i % 7)));
            }
        }
        Dag dag = builder.build();
        assertEquals(10_000, dag.tasks().size());
        assertEquals(100, dag.levels().get(0).size());
    }
}
