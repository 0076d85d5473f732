package io.queuack.draw;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A grid of states, as Airflow's grid view draws runs: one column per slot of a backfill (a run), one row per task,
 * each cell coloured by that task's state in that slot's run. Drawn as SVG or as text for terminals. Immutable.
 *
 * @param title   a line naming what is shown
 * @param columns the columns' labels, in order
 * @param rows    the rows' labels, in order
 * @param cells   one list per column, one cell per row
 */
public record Grid(String title, List<String> columns, List<String> rows, List<List<Cell>> cells) {

    /**
     * One cell.
     *
     * @param shade its colour
     * @param note  what a tooltip says about it (state, duration), or empty
     */
    public record Cell(Shade shade, String note) {
        public Cell {
            Objects.requireNonNull(shade, "shade");
            Objects.requireNonNull(note, "note");
        }
    }

    public Grid {
        Objects.requireNonNull(title, "title");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        List<List<Cell>> copy = new ArrayList<>(cells.size());
        for (List<Cell> column : cells) {
            if (column.size() != rows.size()) {
                throw new IllegalArgumentException("Every column needs one cell per row (" + rows.size() + "), one has "
                        + column.size());
            }
            copy.add(List.copyOf(column));
        }
        if (copy.size() != columns.size()) {
            throw new IllegalArgumentException("The grid has " + columns.size() + " columns but cells for " + copy.size());
        }
        cells = List.copyOf(copy);
    }

    /** @return a standalone SVG document, coloured with {@code theme} */
    public String toSvg(Theme theme) {
        return GridRenderer.svg(this, theme);
    }

    /** @return the grid as text, one line per row and one character per column */
    public String toText() {
        return GridRenderer.text(this);
    }
}
