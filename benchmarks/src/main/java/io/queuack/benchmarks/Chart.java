package io.queuack.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/** Draws figures that have a peer as grouped bars (ours against the peer's), written as an SVG file. */
final class Chart {

    private Chart() {
    }

    /**
     * @param figures figures with a peer value, each drawn as a pair of bars labelled by its category
     * @param scale   what to divide values by for the axis (e.g. 1e6 for millions)
     */
    static Path bars(Path file, String title, String axis, List<Figure> figures, List<String> categories, double scale,
            String ours) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < figures.size(); i++) {
            Figure figure = figures.get(i);
            data.addValue(figure.value() / scale, ours, categories.get(i));
            data.addValue(figure.peerValue() / scale, figure.peer(), categories.get(i));
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x2E7D32));
        renderer.setSeriesPaint(1, new Color(0x9E9E9E));
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new java.text.DecimalFormat("0.0")));
        renderer.setDefaultItemLabelsVisible(true);
        SVGGraphics2D svg = new SVGGraphics2D(760, 400);
        chart.draw(svg, new Rectangle(0, 0, 760, 400));
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, svg.getSVGDocument(), StandardCharsets.UTF_8);
    }
}
