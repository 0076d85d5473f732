package io.queuack.kernel;

import io.queuack.BackfillRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.schedule.Backfill;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code %backfill} line magic, kernel-agnostic: runs a DAG of the session for every day of a range, or every
 * value of a parameter, as one backfill on the session's queue, showing its grid of states live.
 */
public final class BackfillMagic {

    static final String USAGE = """
            %backfill <dag> --from 2026-11-01 --to 2026-11-30 [options]   a run per day (run parameter `day`)
            %backfill <dag> --values region=eu,us,apac [options]         a run per value of a parameter
              --concurrency N   slots at once, across every worker of the store (default 4)
              --workers N       worker threads of this cell for the backfill (default 4; 0: the store's other workers
                                and processes run it, this cell follows)
              --no-reuse        run every task again (by default tasks whose inputs did not change reuse their results)
            Running the same cell again goes on with the backfill (after a crash or an interrupt) or, once it failed,
            runs again what did not succeed.""";

    private static final int DEFAULT_WORKERS = 4;

    private BackfillMagic() {
    }

    /** Runs {@code %backfill <args>}; returns the backfill. */
    public static BackfillRun line(List<String> args, Notebook notebook) {
        if (args.isEmpty() || args.contains("--help")) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        Dag dag = DagMagics.dag(args, "%backfill", notebook);
        Flags flags = Flags.parse(args.subList(1, args.size()), "%backfill", List.of("--no-reuse"),
                List.of("--from", "--to", "--values", "--concurrency", "--workers"));
        Backfill backfill;
        try {
            backfill = slots(dag, flags).concurrency(flags.number("--concurrency", Backfill.DEFAULT_CONCURRENCY))
                    .reuseResults(!flags.has("--no-reuse"));
        } catch (IllegalArgumentException e) {
            throw new MagicException("%backfill: " + e.getMessage());
        }
        Queuack queue = Session.queue();
        return LiveRun.follow(queue, queue.backfill(backfill), flags.number("--workers", DEFAULT_WORKERS, 0), notebook,
                "%backfill " + String.join(" ", args));
    }

    private static Backfill slots(Dag dag, Flags flags) {
        if (flags.has("--values") == (flags.has("--from") || flags.has("--to"))) {
            throw new MagicException("%backfill takes --from and --to (days), or --values name=a,b,c; e.g. `%backfill "
                    + dag.name() + " --from 2026-11-01 --to 2026-11-30`");
        }
        if (flags.has("--values")) {
            String[] parts = flags.text("--values").split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new MagicException("--values takes a parameter and its values, e.g. `--values region=eu,us,apac`");
            }
            return Backfill.values(dag, parts[0].strip(), Arrays.stream(parts[1].split(",")).map(String::strip).toList());
        }
        if (!flags.has("--from") || !flags.has("--to")) {
            throw new MagicException("%backfill needs both --from and --to, e.g. `--from 2026-11-01 --to 2026-11-30`");
        }
        return Backfill.days(dag, day(flags, "--from"), day(flags, "--to"));
    }

    private static LocalDate day(Flags flags, String option) {
        try {
            return LocalDate.parse(flags.text(option));
        } catch (DateTimeParseException e) {
            throw new MagicException(option + " takes a day as 2026-11-01, got '" + flags.text(option) + "'");
        }
    }
}
