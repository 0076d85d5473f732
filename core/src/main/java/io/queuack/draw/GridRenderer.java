package io.queuack.draw;

import java.util.List;

/**
 * Draws a {@link Grid}: as SVG (row labels on the left, a square per cell with a tooltip, column labels slanted
 * below, a sparse selection of them when there are many), or as text (one mark per cell, {@link TextRenderer}'s).
 */
final class GridRenderer {

    private static final double CELL = 14;
    private static final double GAP = 2;
    private static final double MARGIN = 12;
    private static final double TITLE_HEIGHT = 30;
    private static final double CHAR_WIDTH = 7.2;
    private static final double SMALL_CHAR_WIDTH = 6.0;
    /** Column labels drawn at most, spread evenly. */
    private static final int MAX_COLUMN_LABELS = 40;

    private GridRenderer() {
    }

    static String svg(Grid grid, Theme theme) {
        double labels = MARGIN + grid.rows().stream().mapToInt(String::length).max().orElse(0) * CHAR_WIDTH + 8;
        int every = labelEvery(grid);
        int longest = 0;
        for (int column = 0; column < grid.columns().size(); column += every) {
            longest = Math.max(longest, grid.columns().get(column).length());
        }
        double top = MARGIN + TITLE_HEIGHT;
        double bottom = top + grid.rows().size() * (CELL + GAP);
        double width = Math.max(labels + grid.columns().size() * (CELL + GAP) + MARGIN + longest * SMALL_CHAR_WIDTH * 0.5,
                MARGIN * 2 + grid.title().length() * CHAR_WIDTH);
        double height = bottom + longest * SMALL_CHAR_WIDTH * 0.8 + MARGIN + 8;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(SvgRenderer.number(width)).append("\" height=\"").append(SvgRenderer.number(height))
                .append("\" viewBox=\"0 0 ").append(SvgRenderer.number(width)).append(' ').append(SvgRenderer.number(height))
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"").append(theme.background()).append("\"/>\n")
                .append("<text x=\"").append(SvgRenderer.number(MARGIN)).append("\" y=\"")
                .append(SvgRenderer.number(MARGIN + 14)).append("\" font-weight=\"bold\" fill=\"")
                .append(theme.titleColor()).append("\">").append(SvgRenderer.xml(grid.title())).append("</text>\n");
        for (int row = 0; row < grid.rows().size(); row++) {
            svg.append("<text x=\"").append(SvgRenderer.number(labels - 8)).append("\" y=\"")
                    .append(SvgRenderer.number(top + row * (CELL + GAP) + CELL - 3)).append("\" text-anchor=\"end\" fill=\"")
                    .append(theme.titleColor()).append("\">").append(SvgRenderer.xml(grid.rows().get(row)))
                    .append("</text>\n");
        }
        for (int column = 0; column < grid.columns().size(); column++) {
            double x = labels + column * (CELL + GAP);
            List<Grid.Cell> cells = grid.cells().get(column);
            for (int row = 0; row < cells.size(); row++) {
                Grid.Cell cell = cells.get(row);
                svg.append("<rect x=\"").append(SvgRenderer.number(x)).append("\" y=\"")
                        .append(SvgRenderer.number(top + row * (CELL + GAP))).append("\" width=\"").append(SvgRenderer.number(CELL))
                        .append("\" height=\"").append(SvgRenderer.number(CELL)).append("\" rx=\"2\" fill=\"")
                        .append(theme.fill(cell.shade())).append("\" stroke=\"").append(theme.stroke())
                        .append("\" stroke-width=\"0.5\"><title>")
                        .append(SvgRenderer.xml(grid.columns().get(column) + " · " + grid.rows().get(row)
                                + (cell.note().isEmpty() ? "" : " · " + cell.note())))
                        .append("</title></rect>\n");
            }
            if (column % every == 0) {
                double cx = x + CELL / 2;
                svg.append("<text x=\"").append(SvgRenderer.number(cx)).append("\" y=\"")
                        .append(SvgRenderer.number(bottom + 6)).append("\" font-size=\"10\" text-anchor=\"end\" fill=\"")
                        .append(theme.titleColor()).append("\" transform=\"rotate(-60 ").append(SvgRenderer.number(cx))
                        .append(' ').append(SvgRenderer.number(bottom + 6)).append(")\">")
                        .append(SvgRenderer.xml(grid.columns().get(column))).append("</text>\n");
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static int labelEvery(Grid grid) {
        return Math.max(1, (grid.columns().size() + MAX_COLUMN_LABELS - 1) / MAX_COLUMN_LABELS);
    }

    static String text(Grid grid) {
        StringBuilder text = new StringBuilder(grid.title()).append('\n');
        int width = grid.rows().stream().mapToInt(String::length).max().orElse(0);
        if (!grid.columns().isEmpty()) {
            String first = grid.columns().get(0);
            String last = grid.columns().get(grid.columns().size() - 1);
            text.append(" ".repeat(width + 1)).append(first).append(grid.columns().size() > 1 ? " → " + last : "")
                    .append('\n');
        }
        for (int row = 0; row < grid.rows().size(); row++) {
            String label = grid.rows().get(row);
            text.append(label).append(" ".repeat(width - label.length() + 1));
            for (List<Grid.Cell> column : grid.cells()) {
                text.append(TextRenderer.MARKS.get(column.get(row).shade()));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
