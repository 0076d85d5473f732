package io.queuack.draw;

import io.queuack.DagRun;
import io.queuack.dag.Dag;
import java.util.List;
import java.util.Objects;

/**
 * What a picture of a DAG or of a run shows, independent of how it is drawn: boxes (tasks, some of them
 * groups with a picture inside) and links (dependencies). Draw it as Mermaid, SVG (laid out by Eclipse
 * ELK's layered algorithm) or a text tree for terminals. Immutable.
 *
 * @param title a line naming what is shown
 * @param boxes the tasks, in declaration order
 * @param links the dependencies between them
 */
public record Picture(String title, List<Box> boxes, List<Link> links) {

    public Picture {
        Objects.requireNonNull(title, "title");
        boxes = List.copyOf(boxes);
        links = List.copyOf(links);
    }

    /** @return a picture of a DAG definition: its tasks, dependencies (dashed for ANY mode) and sub-DAGs */
    public static Picture of(Dag dag) {
        return new DefinitionDrawing().draw(dag, "");
    }

    /**
     * @return a picture of a run as it is now: each task's state and duration, sub-runs drawn inside the
     *         task that spawned them
     */
    public static Picture of(DagRun run) {
        return new RunDrawing().draw(run, "");
    }

    /** @return Mermaid flowchart text, coloured with {@code theme} */
    public String toMermaid(Theme theme) {
        return MermaidRenderer.render(this, theme);
    }

    /** @return a standalone SVG document, laid out with ELK's layered algorithm, coloured with {@code theme} */
    public String toSvg(Theme theme) {
        return SvgRenderer.render(this, theme);
    }

    /** @return a text tree for terminals */
    public String toText() {
        return TextRenderer.render(this);
    }
}
