package io.queuack.draw;

import java.util.EnumSet;
import java.util.Set;

/** Draws a {@link Picture} as a Mermaid flowchart; groups become subgraphs that edges connect to. */
final class MermaidRenderer {

    private MermaidRenderer() {
    }

    static String render(Picture picture, Theme theme) {
        StringBuilder text = new StringBuilder();
        text.append("---\ntitle: ").append(escape(picture.title())).append("\n---\n");
        text.append("flowchart TD\n");
        Set<Shade> used = EnumSet.noneOf(Shade.class);
        StringBuilder groupStyles = new StringBuilder();
        boxes(picture, theme, "    ", text, used, groupStyles);
        links(picture, text);
        for (Shade shade : used) {
            text.append("    classDef ").append(shade.className()).append(" fill:").append(theme.fill(shade))
                    .append(",stroke:").append(theme.stroke()).append(",stroke-width:").append(theme.strokeWidth())
                    .append("px,color:").append(theme.text(shade)).append('\n');
        }
        text.append(groupStyles);
        return text.toString();
    }

    private static void boxes(Picture picture, Theme theme, String indent, StringBuilder text, Set<Shade> used,
                              StringBuilder groupStyles) {
        for (Box box : picture.boxes()) {
            if (box.group() != null) {
                text.append(indent).append("subgraph ").append(box.id()).append("[\"")
                        .append(escape(box.label() + (box.detail().isEmpty() ? "" : " · " + box.detail())))
                        .append("\"]\n");
                boxes(box.group(), theme, indent + "    ", text, used, groupStyles);
                links(box.group(), text);
                text.append(indent).append("end\n");
                groupStyles.append("    style ").append(box.id()).append(" fill:").append(theme.fill(Shade.SUBDAG))
                        .append(",stroke:").append(theme.fill(box.shade())).append(",stroke-width:")
                        .append(theme.strokeWidth() + 1).append("px,stroke-dasharray: 5 5,color:")
                        .append(theme.text(Shade.SUBDAG)).append('\n');
                continue;
            }
            used.add(box.shade());
            text.append(indent).append(box.id()).append("[\"").append(escape(box.label()));
            if (!box.detail().isEmpty()) {
                text.append("<br/><small>").append(escape(box.detail())).append("</small>");
            }
            text.append("\"]:::").append(box.shade().className()).append('\n');
        }
    }

    private static void links(Picture picture, StringBuilder text) {
        for (Link link : picture.links()) {
            text.append("    ").append(link.from()).append(link.dashed() ? " -.-> " : " --> ").append(link.to())
                    .append('\n');
        }
    }

    /** Mermaid labels are quoted; quotes and markup characters become entity codes. */
    private static String escape(String text) {
        return text.replace("&", "#amp;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
