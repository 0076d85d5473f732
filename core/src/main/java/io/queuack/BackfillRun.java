package io.queuack;

import io.queuack.dag.Dag;
import io.queuack.dag.TaskDefinition;
import io.queuack.draw.Box;
import io.queuack.draw.Drawable;
import io.queuack.draw.Grid;
import io.queuack.draw.Picture;
import io.queuack.draw.Shade;
import io.queuack.draw.Theme;
import io.queuack.job.Job;
import io.queuack.job.JobStatus;
import io.queuack.job.RunStatus;
import io.queuack.storage.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A handle on a stored backfill: its parent run, the state of every slot and of every task in each slot's run,
 * waiting for it, cancelling it, and its picture, a grid of states with one column per slot and one row per task
 * (as Airflow's grid view). Every call reads the current state from storage.
 */
public final class BackfillRun implements Drawable {

    /**
     * One slot as it is now.
     *
     * @param label  its label, e.g. {@code 2026-11-03}
     * @param status the state of its job: PENDING until it starts its run, RUNNING while the run runs, then SUCCEEDED
     *               or DEAD with the run's outcome
     * @param run    its run, once started
     */
    public record SlotState(String label, JobStatus status, Optional<DagRun> run) {
    }

    private final Engine engine;
    private final DagRun parent;
    private final Dag dag;

    BackfillRun(Engine engine, long id, Dag dag) {
        this.engine = engine;
        this.parent = new DagRun(engine, id, null);
        this.dag = dag;
    }

    /** @return the parent run's id */
    public long id() {
        return parent.id();
    }

    /** @return the parent run: one task per slot */
    public DagRun parent() {
        return parent;
    }

    /** @return the name of the DAG backfilled */
    public String dagName() {
        return Backfiller.dagOf(parent.dagName());
    }

    public RunStatus status() {
        return parent.status();
    }

    public boolean isFinished() {
        return parent.isFinished();
    }

    /** @return the share of slots that have finished, 0 to 1 */
    public double progress() {
        return parent.progress();
    }

    /** Waits until every slot finished, or the timeout passes. @return the status then */
    public RunStatus await(Duration timeout) {
        return parent.await(timeout);
    }

    /** Cancels the slots not finished and their runs. @return false if it had already finished */
    public boolean cancel() {
        return parent.cancel();
    }

    /** @return every slot's state, in order */
    public List<SlotState> slots() {
        Map<Long, RunRecord> runs = new HashMap<>();
        engine.storage().childRuns(id()).forEach(run -> runs.put(run.parentJobId(), run));
        List<SlotState> slots = new ArrayList<>();
        for (Job job : engine.storage().runJobs(id())) {
            RunRecord run = runs.get(job.id());
            slots.add(new SlotState(job.node(), job.status(), Optional.ofNullable(run)
                    .map(record -> new DagRun(engine, record.id(), dag))));
        }
        return slots;
    }

    /** @return how many slots are in each state */
    public Map<JobStatus, Integer> counts() {
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        slots().forEach(slot -> counts.merge(slot.status(), 1, Integer::sum));
        return counts;
    }

    /** @return one line, e.g. {@code etl backfill #12 RUNNING: 30 slots, 20 succeeded, 2 running, 8 pending} */
    public String summary() {
        StringBuilder text = new StringBuilder(dagName()).append(" backfill #").append(id()).append(' ').append(status())
                .append(": ").append(parent.taskCount()).append(" slots");
        counts().forEach((status, count) -> text.append(", ").append(count).append(' ').append(status.dbName()));
        return text.toString();
    }

    /**
     * @return the grid of states: a column per slot, a row for the slot itself ({@code slot}) and one per task of the
     *         DAG (its tasks in declaration order when the DAG is known here, else as the runs list them)
     */
    public Grid grid() {
        List<SlotState> slots = slots();
        Map<String, Map<String, RunTask>> tasksBySlot = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        if (dag != null) {
            dag.tasks().stream().map(TaskDefinition::name).forEach(names::add);
        }
        for (SlotState slot : slots) {
            Map<String, RunTask> tasks = new HashMap<>();
            slot.run().ifPresent(run -> run.tasks().forEach(task -> {
                tasks.put(task.name(), task);
                names.add(task.name());
            }));
            tasksBySlot.put(slot.label(), tasks);
        }
        List<String> rows = new ArrayList<>();
        rows.add("slot");
        rows.addAll(names);
        List<String> columns = new ArrayList<>();
        List<List<Grid.Cell>> cells = new ArrayList<>();
        for (SlotState slot : slots) {
            columns.add(slot.label());
            List<Grid.Cell> column = new ArrayList<>();
            column.add(new Grid.Cell(RunDrawing.shade(slot.status()), slot.status().name()));
            Map<String, RunTask> tasks = tasksBySlot.get(slot.label());
            for (String name : names) {
                RunTask task = tasks.get(name);
                column.add(task == null ? new Grid.Cell(Shade.PENDING, "not started")
                        : new Grid.Cell(RunDrawing.shade(task.status()), RunDrawing.describe(task)));
            }
            cells.add(column);
        }
        String title = dagName() + " · backfill " + id() + " · " + status() + " · " + RunDrawing.format(parent.duration())
                + " · " + slots.stream().filter(slot -> slot.status().isTerminal()).count() + "/" + slots.size()
                + " slots finished";
        return new Grid(title, columns, rows, cells);
    }

    /** @return the slots as boxes (no links), each with its state: what Mermaid draws */
    @Override
    public Picture picture() {
        List<Box> boxes = new ArrayList<>();
        int next = 0;
        for (SlotState slot : slots()) {
            boxes.add(new Box("s" + next++, slot.label(), slot.status().name(), RunDrawing.shade(slot.status()), null));
        }
        return new Picture(grid().title(), boxes, List.of());
    }

    /** @return the grid of states as a standalone SVG document */
    @Override
    public String toSvg(Theme theme) {
        return grid().toSvg(theme);
    }

    /** @return the grid of states as text, one line per task and one mark per slot */
    @Override
    public String toText() {
        return grid().toText();
    }

    @Override
    public String toString() {
        return "BackfillRun[" + dagName() + " #" + id() + ", " + status() + ", " + parent.taskCount() + " slots]";
    }
}
