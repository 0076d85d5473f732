package io.queuack;

import io.queuack.draw.Box;
import io.queuack.draw.Link;
import io.queuack.draw.Picture;
import io.queuack.draw.Shade;
import io.queuack.job.DependencyMode;
import io.queuack.job.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Draws a run as it is now: states, durations, sub-runs inside the tasks that spawned them, and, when its tasks
 * ran in more than one process (worker hosts on PostgreSQL), which one ran each.
 */
final class RunDrawing {

    /** Fan-outs can have thousands of tasks; a group shows this many and sums up the rest. */
    static final int MAX_GROUP_BOXES = 24;
    /** Fan-out elements are labelled with this many characters of their JSON at most. */
    private static final int MAX_ELEMENT_LABEL = 32;

    private int next;

    /** @param prefix empty for the top-level run, anything else for a sub-run drawn inside its task */
    Picture draw(DagRun run, String prefix) {
        List<RunTask> tasks = run.tasks();
        Map<Long, DagRun> spawned = new HashMap<>();
        run.subRuns().forEach(child -> spawned.put(child.spawnedBy(), child));
        Map<String, String> ids = new HashMap<>();
        List<Box> boxes = new ArrayList<>();
        boolean nested = !prefix.isEmpty();
        int shown = nested && tasks.size() > MAX_GROUP_BOXES ? MAX_GROUP_BOXES - 1 : tasks.size();
        boolean severalWorkers = tasks.stream().map(RunTask::worker).filter(Objects::nonNull).distinct().count() > 1;
        for (RunTask task : tasks.subList(0, shown)) {
            String id = "n" + next++;
            ids.put(task.name(), id);
            DagRun child = spawned.get(task.jobId());
            Picture inside = child == null ? null : draw(child, "nested");
            String description = describe(task);
            if (severalWorkers && task.worker() != null) {
                description += " · on " + task.worker();
            }
            boxes.add(new Box(id, label(task), description, shade(task.status()), inside));
        }
        if (shown < tasks.size()) {
            boxes.add(new Box("n" + next++, "… " + (tasks.size() - shown) + " more", summarize(tasks.subList(shown,
                    tasks.size())), Shade.SUBDAG, null));
        }
        List<Link> links = new ArrayList<>();
        Set<String> anyMode = new HashSet<>();
        run.dag().ifPresent(dag -> dag.tasks().stream().filter(definition -> definition.mode() == DependencyMode.ANY)
                .forEach(definition -> anyMode.add(definition.name())));
        run.dependencies().forEach((task, upstream) -> {
            boolean any = anyMode.contains(task);
            for (String parent : upstream) {
                if (ids.containsKey(task) && ids.containsKey(parent)) {
                    links.add(new Link(ids.get(parent), ids.get(task), any));
                }
            }
        });
        String title = nested
                ? run.dagName() + " · run " + run.id() + " · " + done(tasks) + "/" + tasks.size() + " finished"
                : run.dagName() + " · run " + run.id() + " · " + run.status() + " · " + format(run.duration()) + " · "
                + done(tasks) + "/" + tasks.size() + " tasks finished";
        return new Picture(title, boxes, links);
    }

    private static long done(List<RunTask> tasks) {
        return tasks.stream().filter(task -> task.status().isTerminal()).count();
    }

    /** @return the task's name; for a fan-out element, its index and a short form of the element */
    private static String label(RunTask task) {
        if (task.elementJson() == null) {
            return task.name();
        }
        String element = task.elementJson();
        if (element.length() > 1 && element.startsWith("\"") && element.endsWith("\"") && !element.contains("\\")) {
            element = element.substring(1, element.length() - 1);
        }
        return task.name() + ": " + (element.length() > MAX_ELEMENT_LABEL
                ? element.substring(0, MAX_ELEMENT_LABEL - 1) + "…" : element);
    }

    static String describe(RunTask task) {
        StringBuilder text = new StringBuilder(task.status().name());
        if (task.status() == JobStatus.RUNNING && task.progress() > 0) {
            text.append(" ").append(Math.round(task.progress() * 100)).append('%');
        }
        if (task.duration() != null) {
            text.append(" · ").append(format(task.duration()));
        }
        if (task.attempts() > 1) {
            text.append(" · attempt ").append(task.attempts()).append('/').append(task.maxAttempts());
        }
        if (task.reused()) {
            text.append(" · reused");
        }
        return text.toString();
    }

    private static String summarize(List<RunTask> tasks) {
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        tasks.forEach(task -> counts.merge(task.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(count + " " + status.dbName()));
        return String.join(", ", parts);
    }

    /** @return a short duration: {@code 8 ms}, {@code 1.25 s}, {@code 34.5 s}, {@code 2 min 5 s}, {@code 1 h 2 min} */
    static String format(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        if (seconds < 1) {
            return duration.toMillis() + " ms";
        }
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.2f s", seconds);
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = duration.toSeconds();
        if (whole < 3600) {
            return whole / 60 + " min " + whole % 60 + " s";
        }
        return whole / 3600 + " h " + whole % 3600 / 60 + " min";
    }

    /** @return the shade of a task in {@code status} */
    static Shade shade(JobStatus status) {
        return switch (status) {
            case BLOCKED -> Shade.PENDING;
            case PENDING, FAILED -> Shade.READY;
            case RUNNING -> Shade.RUNNING;
            case SUCCEEDED -> Shade.DONE;
            case SKIPPED -> Shade.SKIPPED;
            case DEAD, CANCELLED, EXPIRED, ORPHANED -> Shade.FAILED;
        };
    }
}
