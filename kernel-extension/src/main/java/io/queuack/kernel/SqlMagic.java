package io.queuack.kernel;

import io.queuack.DagRun;
import io.queuack.arrow.ArrowSql;
import io.queuack.arrow.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;

/**
 * The {@code %%sql} cell magic: DuckDB SQL over Arrow datasets of the session and, with {@code --queue}, over the
 * session queue's own tables ({@code jobs}, {@code dag_runs}); the result shows as a table and is bound to a
 * variable as a Tablesaw {@code Table}.
 *
 * <p>Kernels split a magic's arguments at spaces and drop double quotes (JJava does), so a {@code --use} value is
 * a name, not arbitrary Java: a variable holding a {@code Dataset} or a {@code Path}, {@code run.task} for the
 * dataset a task of a {@code DagRun} variable produced, a run alone for all of its datasets, or a file path.
 */
public final class SqlMagic {

    static final String USAGE = """
            %%sql [variable] [--use table=value ...] [--queue]
              <DuckDB SQL, on the lines under %%sql>
              --use sales=salesData        a variable holding a Dataset (or a Path) becomes table `sales`
              --use sales=etl.sales        the Dataset task `sales` of the DagRun variable `etl` produced
              --use etl                    every Dataset of the DagRun `etl`, each as a table named after its task
              --use sales=out/sales.arrow  an Arrow file
              --queue    runs over the session queue's database: tables jobs and dag_runs
              The result is shown and bound to `variable` (default: sqlResult) as a Tablesaw Table.
              Values are names, not Java: the kernel splits arguments at spaces and drops double quotes.""";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern RUN_TASK = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)\\.([A-Za-z_][A-Za-z0-9_.-]*)");

    private static Table last;

    private SqlMagic() {
    }

    /** Used by the code that binds the result: the last result of {@code %%sql}. */
    public static synchronized Table last() {
        return last;
    }

    /** {@code %sql}: the SQL goes under {@code %%sql}; this line form only explains that (and {@code --help}). */
    public static Object line(List<String> args, Notebook notebook) {
        if (!args.isEmpty() && !args.contains("--help")) {
            throw new MagicException("%sql: write the SQL on the lines under %%sql (a cell magic), e.g.\n"
                    + "%%sql --use sales=salesData\nSELECT region, sum(amount) FROM sales GROUP BY region");
        }
        notebook.display(MimeBundle.text(USAGE));
        return null;
    }

    /** Runs {@code %%sql <args>} with the cell's SQL; returns the result. */
    public static Table cell(List<String> args, String sql, Notebook notebook) {
        if (args.contains("--help") || sql.isBlank()) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        String variable = "sqlResult";
        boolean onQueue = false;
        List<String> uses = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--queue")) {
                onQueue = true;
            } else if (arg.equals("--use")) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new MagicException("%%sql: --use needs a table, e.g. `--use sales=salesData` (`%sql --help` lists the forms)");
                }
                uses.add(args.get(++i));
            } else if (i == 0 && IDENTIFIER.matcher(arg).matches()) {
                variable = arg;
            } else {
                throw new MagicException("%%sql: unexpected argument '" + arg + "'" + splitHint(args)
                        + " (`%sql --help` lists the forms)");
            }
        }
        Map<String, Path> tables = new LinkedHashMap<>();
        for (String use : uses) {
            tables.putAll(tables(use, notebook));
        }
        Table result = (onQueue ? onQueue(sql, tables) : run(ArrowSql.open(), sql, tables)).setName(variable);
        synchronized (SqlMagic.class) {
            last = result;
        }
        notebook.eval("tech.tablesaw.api.Table " + variable + " = " + SqlMagic.class.getName() + ".last();");
        notebook.display(Renderings.render(result).orElseThrow());
        return result;
    }

    /** @return the tables one {@code --use} value names, by table name */
    private static Map<String, Path> tables(String use, Notebook notebook) {
        int equals = use.indexOf('=');
        String table = equals < 0 ? use : use.substring(0, equals);
        String value = equals < 0 ? use : use.substring(equals + 1);
        String option = "%%sql --use " + use;
        if (!IDENTIFIER.matcher(table).matches() || value.isEmpty()) {
            throw new MagicException(option + ": write table=value, e.g. `--use sales=salesData`");
        }
        Matcher runTask = RUN_TASK.matcher(value);
        if (runTask.matches() && Variables.find(notebook, runTask.group(1)).orElse(null) instanceof DagRun run) {
            return Map.of(table, run.result(runTask.group(2), Dataset.class).path());
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            Path file = Path.of(value);
            if (Files.isRegularFile(file)) {
                return Map.of(table, file);
            }
            throw new MagicException(option + ": '" + value + "' is neither a variable, nor run.task, nor a file."
                    + " A value is a name, not Java: put the Dataset in a variable first (the kernel splits magic"
                    + " arguments at spaces and drops double quotes)");
        }
        Object found = Variables.find(notebook, value).orElseThrow(() -> new MagicException(option + ": no variable "
                + value + " in this session"));
        found = found == Variables.NULL ? null : found;
        if (found instanceof Dataset dataset) {
            return Map.of(table, dataset.path());
        }
        if (found instanceof Path file) {
            return Map.of(table, file);
        }
        if (found instanceof DagRun run && equals < 0) {
            Map<String, Path> all = new LinkedHashMap<>();
            run.results().forEach((task, result) -> {
                if (result instanceof Map<?, ?> fields && fields.containsKey("path") && fields.containsKey("schema")) {
                    all.put(task.replaceAll("[^A-Za-z0-9_]", "_"), run.result(task, Dataset.class).path());
                }
            });
            if (all.isEmpty()) {
                throw new MagicException(option + ": run #" + run.id() + " of " + run.dagName() + " has no Dataset results");
            }
            return all;
        }
        throw new MagicException(option + ": " + value + " is " + (found == null ? "null"
                : "a " + found.getClass().getSimpleName()) + ", not a Dataset, a Path" + (found instanceof DagRun
                ? " (for a run, name its task: --use " + table + "=" + value + ".<task>)" : " or a DagRun"));
    }

    /** @return a hint when the arguments look like Java the kernel's splitting tore apart */
    private static String splitHint(List<String> args) {
        boolean torn = args.stream().anyMatch(arg -> arg.equals(",") || arg.chars().filter(c -> c == '(').count()
                != arg.chars().filter(c -> c == ')').count());
        return torn ? ": the kernel splits magic arguments at spaces and drops double quotes, so --use takes a name"
                + " (a variable, run.task, a file), not a Java expression" : "";
    }

    private static Table onQueue(String sql, Map<String, Path> tables) {
        try (Connection connection = Session.queue().openSqlConnection().orElseThrow(() -> new MagicException(
                "%%sql --queue needs a DuckDB queue; the session's is " + Session.queue().description()))) {
            return run(ArrowSql.on(connection), sql, tables);
        } catch (SQLException e) {
            throw new MagicException("%%sql --queue: " + e.getMessage());
        }
    }

    private static Table run(ArrowSql session, String sql, Map<String, Path> tables) {
        try (session) {
            tables.forEach(session::register);
            return session.query(sql.strip());
        }
    }
}
