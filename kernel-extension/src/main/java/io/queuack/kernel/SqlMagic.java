package io.queuack.kernel;

import io.queuack.arrow.ArrowSql;
import io.queuack.arrow.Dataset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The {@code %%sql} cell magic: DuckDB SQL over Arrow datasets of the session and, with {@code --queue},
 * over the session queue's own tables ({@code jobs}, {@code dag_runs}); the result shows as a table and is
 * bound to a variable as a Tablesaw {@code Table}.
 */
public final class SqlMagic {

    static final String USAGE = """
            %%sql [variable] [--use name=expression ...] [--queue]
              <DuckDB SQL>
              --use sales=salesRun.result("sales", Dataset.class)   registers a Dataset (or a Path) as table `sales`
              --queue    runs over the session queue's database: tables jobs and dag_runs
              The result is shown and bound to `variable` (default: sqlResult) as a Tablesaw Table.""";

    private static Table last;

    private SqlMagic() {
    }

    /** Used by the code that binds the result: the last result of {@code %%sql}. */
    public static synchronized Table last() {
        return last;
    }

    /** Runs {@code %%sql <args>} with the cell's SQL; returns the result. */
    public static Table cell(List<String> args, String sql, Notebook notebook) {
        if (args.contains("--help") || sql.isBlank()) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        String variable = "sqlResult";
        boolean onQueue = false;
        List<String[]> inputs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--queue")) {
                onQueue = true;
            } else if (arg.equals("--use") && i + 1 < args.size() && args.get(i + 1).contains("=")) {
                String use = args.get(++i);
                inputs.add(new String[] {use.substring(0, use.indexOf('=')), use.substring(use.indexOf('=') + 1)});
            } else if (i == 0 && arg.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
                variable = arg;
            } else {
                throw new MagicException("%%sql: unexpected argument '" + arg + "'\n" + USAGE);
            }
        }
        Table result = onQueue ? onQueue(sql, inputs, notebook) : run(ArrowSql.open(), sql, inputs, notebook);
        synchronized (SqlMagic.class) {
            last = result;
        }
        notebook.eval("tech.tablesaw.api.Table " + variable + " = " + SqlMagic.class.getName() + ".last();");
        notebook.display(Renderings.render(result).orElseThrow());
        return result;
    }

    private static Table onQueue(String sql, List<String[]> inputs, Notebook notebook) {
        try (Connection connection = Session.queue().openSqlConnection().orElseThrow(() -> new MagicException(
                "%%sql --queue needs a DuckDB queue; the session's is " + Session.queue().description()))) {
            return run(ArrowSql.on(connection), sql, inputs, notebook);
        } catch (SQLException e) {
            throw new MagicException("%%sql --queue: " + e.getMessage());
        }
    }

    private static Table run(ArrowSql session, String sql, List<String[]> inputs, Notebook notebook) {
        try (session) {
            for (String[] input : inputs) {
                Object value = notebook.eval(input[1]);
                if (value instanceof Dataset dataset) {
                    session.register(input[0], dataset);
                } else if (value instanceof Path file) {
                    session.register(input[0], file);
                } else {
                    throw new MagicException("%%sql --use " + input[0] + "=" + input[1] + ": that is "
                            + (value == null ? "null" : "a " + value.getClass().getSimpleName())
                            + ", not a Dataset or a Path");
                }
            }
            return session.query(sql.strip());
        }
    }
}
