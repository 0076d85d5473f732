package io.queuack.kernel;

import io.queuack.kernel.DagCell.BodyLine;
import io.queuack.kernel.DagCell.TaskLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Java a {@code %%dag} cell becomes, and the way back from the compiler's complaints about it to the cell. Every
 * body line is copied as it is in the cell (with what precedes a body on its task's line blanked out), on a line of
 * its own, so that a diagnostic's line and column in the generated code name a line and column of the cell.
 */
final class DagCode {

    /** Where a generated line comes from: a task's body line, or (for the line closing its call) its last line. */
    private record Origin(TaskLine task, BodyLine line, boolean closing) {
    }

    private final DagCell cell;
    private final String java;
    private final List<Origin> origins;

    private DagCode(DagCell cell, String java, List<Origin> origins) {
        this.cell = cell;
        this.java = java;
        this.origins = origins;
    }

    /**
     * @return code that binds the DAG to {@code variable} in the session: one statement per task inside a block, so
     *         that a DAG of hundreds of tasks is not one deep chain of calls (which javac cannot compile)
     */
    static DagCode of(DagCell cell, String variable) {
        List<String> lines = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        lines.add("io.queuack.dag.Dag " + variable + " = ((java.util.function.Supplier<io.queuack.dag.Dag>) () -> {");
        lines.add("    io.queuack.dag.DagBuilder queuackBuilder = io.queuack.dag.Dag.builder(" + DagCell.quote(cell.dagName())
                + ");");
        origins.add(null);
        origins.add(null);
        for (TaskLine task : cell.tasks()) {
            lines.add("    queuackBuilder.task(" + DagCell.quote(task.name()) + ", " + DagCell.class.getName()
                    + ".body((io.queuack.job.TaskContext ctx) ->");
            origins.add(new Origin(task, task.body().get(0), false));
            for (BodyLine line : task.body()) {
                lines.add(line.text());
                origins.add(new Origin(task, line, false));
            }
            StringBuilder close = new StringBuilder("    ))");
            if (!task.upstream().isEmpty()) {
                close.append(".after(").append(String.join(", ", task.upstream().stream().map(DagCell::quote).toList()))
                        .append(")");
            }
            task.options().forEach((key, value) -> close.append(DagCell.option(key, value)));
            lines.add(close.append(";").toString());
            origins.add(new Origin(task, task.body().get(task.body().size() - 1), true));
        }
        lines.add("    return queuackBuilder.build();");
        lines.add("}).get();");
        origins.add(null);
        origins.add(null);
        return new DagCode(cell, String.join("\n", lines), origins);
    }

    /** @return the Java to evaluate */
    String java() {
        return java;
    }

    /**
     * @return the failure told in the cell's terms: syntax errors found task by task (javac's own messages about the
     *         whole generated code would follow the first one with noise), or else each compiler diagnostic with the
     *         cell line (and task) it comes from
     */
    MagicException explain(SnippetException failure) {
        String name = "%%dag " + cell.dagName();
        List<String> told = new ArrayList<>();
        if (failure.kind() == SnippetException.Kind.REJECTED || failure.kind() == SnippetException.Kind.INCOMPLETE) {
            for (TaskLine task : cell.tasks()) {
                JavaSyntax.firstError(task.bodyText()).ifPresent(error -> told.add(name + ", " + place(task,
                        task.body().get(Math.min(error.line(), task.body().size() - 1)), error.column()) + ": "
                        + error.message()));
            }
        }
        if (told.isEmpty()) {
            List<String> unplaced = new ArrayList<>();
            for (SnippetException.Problem problem : failure.problems()) {
                where(failure.source(), problem.start()).ifPresentOrElse(place -> told.add(name + ", " + place + ": "
                        + problem.message()), () -> unplaced.add(name + ": " + problem.message()));
            }
            told.addAll(told.isEmpty() ? unplaced : List.of());
        }
        if (told.isEmpty()) {
            told.add(name + ": " + failure.getMessage());
        }
        return new MagicException(String.join("\n", told));
    }

    /** @return "line L (task t), column C" for a position in the snippet {@code source}, if it is in a task */
    private Optional<String> where(String source, long position) {
        int offset = source.indexOf(java.substring(0, java.indexOf('\n')));
        if (position < 0 || offset < 0 || position - offset > java.length()) {
            return Optional.empty();
        }
        int at = (int) position - offset;
        int line = 0;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (java.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        Origin origin = line < origins.size() ? origins.get(line) : null;
        if (origin == null) {
            return Optional.empty();
        }
        int column = origin.closing() ? origin.line().text().stripTrailing().length() + 1 : at - lineStart + 1;
        return Optional.of(place(origin.task(), origin.line(), column));
    }

    private static String place(TaskLine task, BodyLine line, int column) {
        return "line " + line.line() + " (task " + task.name() + "), column " + column;
    }
}
