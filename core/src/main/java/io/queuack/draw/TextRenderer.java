package io.queuack.draw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link Picture} as a tree for terminals: each task under its first upstream task, in declaration
 * order; a task with several upstream tasks is drawn once and referred to ("↑") where it appears again.
 * Groups are drawn inside their task.
 */
final class TextRenderer {

    /** The mark of each shade in text. */
    static final Map<Shade, String> MARKS = Map.of(Shade.PENDING, "○", Shade.READY, "…", Shade.RUNNING, "▶",
            Shade.DONE, "✓", Shade.FAILED, "✗", Shade.SKIPPED, "–", Shade.SUBDAG, "◇");

    private TextRenderer() {
    }

    static String render(Picture picture) {
        StringBuilder text = new StringBuilder(picture.title()).append('\n');
        tree(picture, "", text);
        return text.toString();
    }

    private static void tree(Picture picture, String indent, StringBuilder text) {
        Map<String, Box> boxes = new LinkedHashMap<>();
        picture.boxes().forEach(box -> boxes.put(box.id(), box));
        Map<String, List<String>> children = new HashMap<>();
        Set<String> hasParent = new HashSet<>();
        for (Link link : picture.links()) {
            children.computeIfAbsent(link.from(), id -> new ArrayList<>()).add(link.to());
            hasParent.add(link.to());
        }
        List<String> roots = boxes.keySet().stream().filter(id -> !hasParent.contains(id)).toList();
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < roots.size(); i++) {
            branch(roots.get(i), indent, i == roots.size() - 1, boxes, children, drawn, text);
        }
    }

    private static void branch(String id, String indent, boolean last, Map<String, Box> boxes,
                               Map<String, List<String>> children, Set<String> drawn, StringBuilder text) {
        Box box = boxes.get(id);
        text.append(indent).append(last ? "└── " : "├── ").append(MARKS.get(box.shade())).append(' ').append(box.label());
        if (!drawn.add(id)) {
            text.append("  ↑ (drawn above)\n");
            return;
        }
        if (!box.detail().isEmpty()) {
            text.append("  ").append(box.detail());
        }
        text.append('\n');
        String below = indent + (last ? "    " : "│   ");
        if (box.group() != null) {
            text.append(below).append("┆ ").append(box.group().title()).append('\n');
            tree(box.group(), below + "┆ ", text);
        }
        List<String> next = children.getOrDefault(id, List.of());
        for (int i = 0; i < next.size(); i++) {
            branch(next.get(i), below, i == next.size() - 1, boxes, children, drawn, text);
        }
    }
}
