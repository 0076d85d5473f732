package io.queuack.draw;

/**
 * Something that draws itself: a DAG definition or a run. Each call draws it as it is now (a running
 * run's picture changes as its tasks finish).
 */
public interface Drawable {

    /** @return what a picture of it shows, independent of the format */
    Picture picture();

    /** @return Mermaid flowchart text (default theme; JupyterLab, GitHub and GitLab render it) */
    default String toMermaid() {
        return toMermaid(Theme.DEFAULT);
    }

    /** @return Mermaid flowchart text, coloured with {@code theme} */
    default String toMermaid(Theme theme) {
        return picture().toMermaid(theme);
    }

    /** @return a standalone SVG document, laid out in layers (default theme) */
    default String toSvg() {
        return toSvg(Theme.DEFAULT);
    }

    /** @return a standalone SVG document, coloured with {@code theme} */
    default String toSvg(Theme theme) {
        return picture().toSvg(theme);
    }

    /** @return a text tree for terminals and logs */
    default String toText() {
        return picture().toText();
    }
}
