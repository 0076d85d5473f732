package io.queuack.draw;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Draws a {@link Picture} as a standalone SVG document. Eclipse ELK's layered algorithm places the
 * boxes in layers from upstream to downstream and routes the edges; groups are laid out inside their
 * box. No fonts, scripts or links are loaded from anywhere.
 */
final class SvgRenderer {

    private static final double CHAR_WIDTH = 7.2;
    private static final double DETAIL_CHAR_WIDTH = 6.0;
    private static final double BOLD_CHAR_WIDTH = 8.0;
    private static final double TITLE_HEIGHT = 30;
    private static final double MARGIN = 12;
    /** Width to height of a group's unconnected boxes when packed in rows. */
    private static final double GROUP_ASPECT_RATIO = 3.0;

    private final Theme theme;
    private final Map<String, ElkNode> nodes = new HashMap<>();
    private final Map<ElkNode, Box> boxes = new IdentityHashMap<>();
    private final Map<ElkEdge, Link> links = new IdentityHashMap<>();
    private final StringBuilder groups = new StringBuilder();
    private final StringBuilder edges = new StringBuilder();
    private final StringBuilder leaves = new StringBuilder();
    private final String marker;

    private SvgRenderer(Theme theme, String marker) {
        this.theme = theme;
        this.marker = marker;
    }

    static String render(Picture picture, Theme theme) {
        String marker = "queuack-arrow-" + theme.name().toLowerCase(Locale.ROOT) + "-"
                + Integer.toHexString(picture.hashCode());
        return new SvgRenderer(theme, marker).draw(picture);
    }

    private String draw(Picture picture) {
        ElkNode root = ElkGraphUtil.createGraph();
        layered(root);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(0));
        add(root, picture);
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
        emit(root, 0, 0);
        double width = Math.max(root.getWidth(), picture.title().length() * CHAR_WIDTH) + 2 * MARGIN;
        double height = root.getHeight() + TITLE_HEIGHT + 2 * MARGIN;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width) + "\" height=\"" + number(height)
                + "\" viewBox=\"0 0 " + number(width) + " " + number(height) + "\" font-family=\"Helvetica, Arial,"
                + " sans-serif\" font-size=\"12\">\n"
                + "<title>" + xml(picture.title()) + "</title>\n"
                + "<defs><marker id=\"" + marker + "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\""
                + theme.stroke() + "\"/></marker></defs>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"" + theme.background() + "\"/>\n"
                + "<text x=\"" + number(MARGIN) + "\" y=\"" + number(MARGIN + 14) + "\" font-weight=\"bold\" fill=\""
                + theme.titleColor() + "\">" + xml(picture.title()) + "</text>\n"
                + "<g transform=\"translate(" + number(MARGIN) + "," + number(MARGIN + TITLE_HEIGHT) + ")\">\n"
                + groups + edges + leaves + "</g>\n</svg>\n";
    }

    /**
     * Lays out {@code node}'s children top-down in layers, keeping the declaration order where the edges
     * allow. Each group is laid out on its own (links never cross a group's border), inside out.
     */
    private static void layered(ElkNode node) {
        node.setProperty(CoreOptions.ALGORITHM, "org.eclipse.elk.layered");
        node.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        node.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        node.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
        node.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        node.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);
        node.setProperty(LayeredOptions.CROSSING_MINIMIZATION_FORCE_NODE_MODEL_ORDER, true);
    }

    /** Adds the boxes and links of {@code picture} as children of {@code parent}, groups recursively. */
    private void add(ElkNode parent, Picture picture) {
        for (Box box : picture.boxes()) {
            ElkNode node = ElkGraphUtil.createNode(parent);
            nodes.put(box.id(), node);
            boxes.put(node, box);
            if (box.group() == null) {
                double width = Math.max(box.label().length() * CHAR_WIDTH, box.detail().length() * DETAIL_CHAR_WIDTH);
                node.setDimensions(Math.max(70, width + 24), box.detail().isEmpty() ? 30 : 44);
            } else {
                node.setProperty(CoreOptions.PADDING, new ElkPadding(TITLE_HEIGHT, 12, 12, 12));
                layered(node);
                // unconnected boxes (a fan-out's elements) are packed in rows rather than one tall column
                node.setProperty(CoreOptions.ASPECT_RATIO, GROUP_ASPECT_RATIO);
                add(node, box.group());
            }
        }
        for (Link link : picture.links()) {
            ElkEdge edge = ElkGraphUtil.createSimpleEdge(nodes.get(link.from()), nodes.get(link.to()));
            links.put(edge, link);
        }
    }

    /** Writes {@code parent}'s children and edges, offset by the parent's absolute position. */
    private void emit(ElkNode parent, double offsetX, double offsetY) {
        for (ElkEdge edge : parent.getContainedEdges()) {
            edge(edge, offsetX, offsetY);
        }
        for (ElkNode node : parent.getChildren()) {
            double x = offsetX + node.getX();
            double y = offsetY + node.getY();
            Box box = boxes.get(node);
            if (box.group() != null) {
                group(box, x, y, node.getWidth(), node.getHeight());
                emit(node, x, y);
            } else {
                leaf(box, x, y, node.getWidth(), node.getHeight());
            }
        }
    }

    private void group(Box box, double x, double y, double width, double height) {
        String border = box.shade() == Shade.SUBDAG ? theme.stroke() : theme.fill(box.shade());
        groups.append("<g><rect x=\"").append(number(x)).append("\" y=\"").append(number(y)).append("\" width=\"")
                .append(number(width)).append("\" height=\"").append(number(height)).append("\" rx=\"8\" fill=\"")
                .append(theme.fill(Shade.SUBDAG)).append("\" fill-opacity=\"0.35\" stroke=\"").append(border)
                .append("\" stroke-width=\"").append(theme.strokeWidth() + 1).append("\" stroke-dasharray=\"6 4\"/>")
                .append("<text x=\"").append(number(x + 10)).append("\" y=\"").append(number(y + 19))
                .append("\" font-weight=\"bold\" fill=\"").append(theme.titleColor()).append("\">")
                .append(xml(fit(box.label(), width - 20))).append("</text><title>").append(xml(header(box) + "\n"
                        + box.group().title()))
                .append("</title></g>\n");
    }

    private void leaf(Box box, double x, double y, double width, double height) {
        double centre = x + width / 2;
        String text = theme.text(box.shade());
        leaves.append("<g><title>").append(xml(box.label() + (box.detail().isEmpty() ? "" : "\n" + box.detail())))
                .append("</title><rect x=\"").append(number(x)).append("\" y=\"").append(number(y)).append("\" width=\"")
                .append(number(width)).append("\" height=\"").append(number(height)).append("\" rx=\"6\" fill=\"")
                .append(theme.fill(box.shade())).append("\" stroke=\"").append(theme.stroke()).append("\" stroke-width=\"")
                .append(theme.strokeWidth()).append("\"/><text x=\"").append(number(centre)).append("\" y=\"")
                .append(number(y + (box.detail().isEmpty() ? 19 : 18))).append("\" text-anchor=\"middle\" fill=\"")
                .append(text).append("\">").append(xml(box.label())).append("</text>");
        if (!box.detail().isEmpty()) {
            leaves.append("<text x=\"").append(number(centre)).append("\" y=\"").append(number(y + 34))
                    .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"").append(text).append("\">")
                    .append(xml(box.detail())).append("</text>");
        }
        leaves.append("</g>\n");
    }

    private void edge(ElkEdge edge, double offsetX, double offsetY) {
        for (ElkEdgeSection section : edge.getSections()) {
            StringBuilder points = new StringBuilder();
            points.append(number(offsetX + section.getStartX())).append(',').append(number(offsetY + section.getStartY()));
            for (ElkBendPoint bend : section.getBendPoints()) {
                points.append(' ').append(number(offsetX + bend.getX())).append(',').append(number(offsetY + bend.getY()));
            }
            points.append(' ').append(number(offsetX + section.getEndX())).append(',').append(number(offsetY + section.getEndY()));
            edges.append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"").append(theme.stroke())
                    .append("\" stroke-width=\"1.5\"").append(links.get(edge).dashed() ? " stroke-dasharray=\"5 4\"" : "")
                    .append(" marker-end=\"url(#").append(marker).append(")\"/>\n");
        }
    }

    /** @return {@code text}, cut with an ellipsis to fit {@code width} pixels of bold text */
    private static String fit(String text, double width) {
        int room = (int) (width / BOLD_CHAR_WIDTH);
        return text.length() <= room ? text : text.substring(0, Math.max(1, room - 1)) + "…";
    }

    private static String header(Box box) {
        return box.detail().isEmpty() ? box.label() : box.label() + " · " + box.detail();
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
