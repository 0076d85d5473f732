package io.queuack.draw;

import java.util.List;
import java.util.Objects;

/**
 * What a picture of a graph shows, independent of how it is drawn: boxes (tasks, some of them groups with
 * a picture inside) and links (dependencies). A DAG and a run draw themselves into one (their
 * {@code picture()}). Draw it as Mermaid, SVG (laid out by Eclipse ELK's layered algorithm) or a text tree
 * for terminals. Immutable.
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
