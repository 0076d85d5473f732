package io.queuack.draw;

import java.util.EnumMap;
import java.util.Map;

/**
 * Colours for pictures of DAGs and runs: a fill per {@link Shade}, a stroke colour and width. The six
 * themes carry the exact colours of the original Queuack's Mermaid colour schemes.
 */
public enum Theme {
    DEFAULT("F0F0F0", "FFD700", "87CEEB", "90EE90", "FFB6C6", "D3D3D3", "FFFFFF", "333333", 2),
    BLUE_PROFESSIONAL("E3F2FD", "64B5F6", "2196F3", "4CAF50", "F44336", "9E9E9E", "0D47A1", "0D47A1", 2),
    DARK("424242", "FFA726", "42A5F5", "66BB6A", "EF5350", "757575", "1E88E5", "E0E0E0", 2),
    PASTEL("F5F5F5", "FFE082", "81D4FA", "A5D6A7", "EF9A9A", "E0E0E0", "9FA8DA", "BDBDBD", 1),
    HIGH_CONTRAST("FFFFFF", "FFFF00", "0000FF", "00FF00", "FF0000", "808080", "FF00FF", "000000", 3),
    GRAYSCALE("F0F0F0", "C0C0C0", "808080", "606060", "404040", "D0D0D0", "505050", "000000", 2);

    private final Map<Shade, String> fills = new EnumMap<>(Shade.class);
    private final String stroke;
    private final int strokeWidth;

    Theme(String pending, String ready, String running, String done, String failed, String skipped, String subdag,
          String stroke, int strokeWidth) {
        fills.put(Shade.PENDING, "#" + pending);
        fills.put(Shade.READY, "#" + ready);
        fills.put(Shade.RUNNING, "#" + running);
        fills.put(Shade.DONE, "#" + done);
        fills.put(Shade.FAILED, "#" + failed);
        fills.put(Shade.SKIPPED, "#" + skipped);
        fills.put(Shade.SUBDAG, "#" + subdag);
        this.stroke = "#" + stroke;
        this.strokeWidth = strokeWidth;
    }

    /** @return the fill colour of {@code shade}, e.g. {@code #90EE90} */
    public String fill(Shade shade) {
        return fills.get(shade);
    }

    /** @return black or white, whichever reads better on {@code shade}'s fill */
    public String text(Shade shade) {
        int rgb = Integer.parseInt(fill(shade).substring(1), 16);
        double luminance = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
        return luminance < 140 ? "#FFFFFF" : "#000000";
    }

    public String stroke() {
        return stroke;
    }

    public int strokeWidth() {
        return strokeWidth;
    }

    /** @return the colour of the picture's background and titles: dark for {@link #DARK}, else white */
    String background() {
        return this == DARK ? "#212121" : "#FFFFFF";
    }

    String titleColor() {
        return this == DARK ? "#E0E0E0" : "#333333";
    }
}
