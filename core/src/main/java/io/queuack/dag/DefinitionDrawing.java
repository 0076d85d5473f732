package io.queuack.dag;

import io.queuack.draw.Box;
import io.queuack.draw.Link;
import io.queuack.draw.Picture;
import io.queuack.draw.Shade;
import io.queuack.job.DependencyMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Draws a DAG definition: no state, sub-DAGs as groups. */
final class DefinitionDrawing {

    private int next;

    Picture draw(Dag dag, String prefix) {
        Map<String, String> ids = new HashMap<>();
        List<Box> boxes = new ArrayList<>();
        for (TaskDefinition task : dag.tasks()) {
            String id = "n" + next++;
            ids.put(task.name(), id);
            boxes.add(box(id, task));
        }
        List<Link> links = new ArrayList<>();
        for (TaskDefinition task : dag.tasks()) {
            for (String upstream : task.upstream()) {
                links.add(new Link(ids.get(upstream), ids.get(task.name()), task.mode() == DependencyMode.ANY));
            }
        }
        String title = (prefix.isEmpty() ? "DAG " : prefix + "DAG ") + dag.name()
                + (dag.description().isEmpty() ? "" : ": " + dag.description());
        return new Picture(title, boxes, links);
    }

    private Box box(String id, TaskDefinition task) {
        if (task.kind() == TaskKind.SUB_DAG) {
            Picture inside = draw(task.subDag(), "sub-");
            return new Box(id, task.name(), "sub-DAG " + task.subDag().name(), Shade.SUBDAG, inside);
        }
        String detail = task.kind() == TaskKind.MAP ? "for each of " + task.over() : "";
        if (task.condition() != null) {
            detail = detail.isEmpty() ? "conditional" : detail + " · conditional";
        }
        return new Box(id, task.name(), detail, task.kind() == TaskKind.MAP ? Shade.SUBDAG : Shade.PENDING, null);
    }
}
