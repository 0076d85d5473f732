package io.queuack.kernel;

import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.schedule.CronFlavor;
import io.queuack.schedule.MissedSlots;
import io.queuack.schedule.Schedule;
import io.queuack.schedule.ScheduleInfo;
import io.queuack.text.DidYouMean;
import java.time.Instant;
import java.util.List;

/**
 * The {@code %schedule} line magic, kernel-agnostic: schedules a DAG of the session (one defined by {@code %%dag},
 * say) on the session's queue, lists the store's schedules with their next fire times, pauses, resumes and deletes
 * them. {@code %%dag <name> --cron ...} schedules the DAG it defines the same way.
 */
public final class ScheduleMagics {

    static final String USAGE = """
            %schedule [list]                              the store's schedules and their next fire times
            %schedule <dag> --cron <expression> [options] run the DAG at each slot of a cron expression, e.g.
                                                          `%schedule etl --cron 30 2 * * * --zone Europe/Paris`
            %schedule <dag> --every <30s|15m|2h|1d> [options]   run it every interval
              --zone <id>            the time zone its cron reads wall-clock times in (default: this JVM's)
              --flavor unix|quartz|spring   the cron dialect (default unix: minute hour day month weekday)
              --name <name>          the schedule's name (default: the DAG's)
              --missed skip|latest|catch-up:<n>   slots missed while nothing ran (default latest: the last one once)
              --reuse                runs reuse the results of tasks whose inputs did not change
            %schedule pause <name> / resume <name> / delete <name>
            Each slot runs the DAG once, with the run parameters `slot`, `day` and `schedule`. Slots fire while a
            worker pool of the store runs (`%queue workers 4`, or worker processes).""";

    /** The options of a schedule, shared with {@code %%dag}. */
    static final List<String> OPTIONS = List.of("--every", "--zone", "--flavor", "--name", "--missed");
    static final List<String> PHRASES = List.of("--cron");
    static final List<String> SWITCHES = List.of("--reuse");
    private static final List<String> COMMANDS = List.of("list", "pause", "resume", "delete");

    private ScheduleMagics() {
    }

    /** Runs {@code %schedule <args>}; returns what it showed. */
    public static Object line(List<String> args, Notebook notebook) {
        if (args.contains("--help")) {
            notebook.display(MimeBundle.text(USAGE));
            return null;
        }
        Queuack queue = Session.queue();
        String command = args.isEmpty() ? "list" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        Object shown = switch (command) {
            case "list" -> new ScheduleTable(queue.schedules().list(), Instant.now());
            case "pause", "resume", "delete" -> {
                if (rest.size() != 1) {
                    throw new MagicException("%schedule " + command + " takes one schedule name, e.g. `%schedule "
                            + command + " etl`");
                }
                yield change(queue, command, rest.get(0));
            }
            default -> {
                if (args.size() < 2 || !args.get(1).startsWith("--")) {
                    throw new MagicException("%schedule: unknown command '" + command + "'"
                            + DidYouMean.hint(command, COMMANDS) + "; `%schedule <dag> --cron ...` schedules a DAG,"
                            + " commands are " + String.join(", ", COMMANDS) + " (`%schedule --help` explains)");
                }
                Dag dag = DagMagics.dag(args, "%schedule", notebook);
                yield schedule(dag, Flags.parse(rest, "%schedule", SWITCHES, OPTIONS, PHRASES), notebook);
            }
        };
        notebook.display(shown instanceof MimeBundle bundle ? bundle : Renderings.render(shown).orElseThrow());
        return shown;
    }

    /** @return whether {@code flags} ask for a schedule ({@code --cron} or {@code --every}) */
    static boolean asks(Flags flags) {
        return flags.has("--cron") || flags.has("--every");
    }

    /**
     * Saves a schedule of {@code dag} on the session's queue as {@code flags} describe it and shows it.
     *
     * @return the schedule as stored, with its next fire time
     */
    static ScheduleInfo schedule(Dag dag, Flags flags, Notebook notebook) {
        if (flags.has("--cron") == flags.has("--every")) {
            throw new MagicException("%schedule: give --cron <expression> or --every <interval> (one of them), e.g."
                    + " `--cron 30 2 * * *` or `--every 15m`");
        }
        try {
            Schedule schedule = Schedule.dag(flags.has("--name") ? flags.text("--name") : dag.name(), dag);
            schedule = flags.has("--every") ? schedule.every(flags.duration("--every"))
                    : schedule.cron(flags.has("--flavor") ? CronFlavor.named(flags.text("--flavor")) : CronFlavor.UNIX,
                    flags.text("--cron"));
            if (flags.has("--zone")) {
                schedule = schedule.zone(flags.text("--zone"));
            }
            if (flags.has("--missed")) {
                schedule = schedule.missed(MissedSlots.parse(flags.text("--missed")));
            }
            schedule = schedule.reuseResults(flags.has("--reuse"));
            ScheduleInfo saved = Session.queue().schedules().save(schedule);
            if (Session.queue().workerPools().isEmpty()) {
                notebook.display(MimeBundle.text("Schedule " + saved.name() + " is stored; its slots fire while a worker"
                        + " pool of the store runs: `%queue workers 4` starts one in this session."));
            }
            return saved;
        } catch (IllegalArgumentException e) {
            throw new MagicException("%schedule: " + e.getMessage());
        }
    }

    private static Object change(Queuack queue, String command, String name) {
        try {
            return switch (command) {
                case "pause" -> queue.schedules().pause(name);
                case "resume" -> queue.schedules().resume(name);
                default -> MimeBundle.text(queue.schedules().delete(name) ? "Schedule " + name + " deleted (the runs it"
                        + " started stay)" : "No schedule named " + name);
            };
        } catch (IllegalArgumentException e) {
            throw new MagicException("%schedule " + command + ": " + e.getMessage());
        }
    }
}
