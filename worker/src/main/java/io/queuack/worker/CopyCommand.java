package io.queuack.worker;

import io.queuack.Queuack;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code queuack-worker copy --from jobs.duckdb --to jdbc:postgresql://db/queues?user=app}: copies everything a
 * store holds into an empty one ({@link Queuack#copy(String, String)}), so that a notebook's DuckDB queue becomes
 * a shared PostgreSQL queue with its history, or the other way round for a local snapshot.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, description = "Copies a queue (jobs, results, DAG runs,"
        + " paused queues) from one store into an empty one, e.g. a DuckDB file into PostgreSQL.")
final class CopyCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "<location>", description = "The store to copy: a DuckDB"
            + " file or a PostgreSQL JDBC URL (not open in another process).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "<location>", description = "The empty store to copy into"
            + " (created if missing): a DuckDB file or a PostgreSQL JDBC URL.")
    String to;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Map<String, Long> copied;
        try {
            copied = Queuack.copy(from, to);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().printf("Copied %,d jobs, %,d DAG runs, %,d dependencies and %,d queue settings"
                        + " in %.1f s%n", copied.get("jobs"), copied.get("dag_runs"), copied.get("job_dependencies"),
                copied.get("queues"), (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
