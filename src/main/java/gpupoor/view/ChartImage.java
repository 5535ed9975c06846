package gpupoor.view;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The one chart encoder: an XChart chart as PNG (the default in notebooks), SVG on request, a PNG
 * data URI for HTML, and a one-line text. Before drawing, a title wider than the chart is shortened
 * in the middle with "…" (XChart would clip it at both edges), and so is a legend entry wider than
 * {@link #LEGEND_SHARE} of the chart (a wide legend squeezes the plot to nothing); the full names
 * belong in the table shown beside the chart.
 */
public final class ChartImage {
    /** The XML declaration and DOCTYPE before {@code <svg}: notebooks embed the SVG element itself. */
    private static final Pattern SVG_PROLOG = Pattern.compile("\\A\\s*(<\\?xml[^>]*\\?>\\s*)?(<!DOCTYPE[^>]*>\\s*)?");
    /** Pixels kept free on each side of a title. */
    private static final int TITLE_MARGIN = 12;
    /** The widest a legend entry may be, as a share of the chart's width. */
    public static final double LEGEND_SHARE = 0.3;
    /** The least a y axis (tick labels and title) takes at the plot's left, in pixels (less room errs on the safe side). */
    private static final double AXIS_ROOM = 40;
    /** A legend's width beyond its widest entry on the right of a chart: marker, gaps, paddings. */
    private static final double LEGEND_CHROME = 80;
    private static final FontRenderContext FONTS = new FontRenderContext(null, true, true);

    private ChartImage() {
    }

    /** The chart drawn at its own size as a PNG image (its title and legend fitted first). */
    public static byte[] png(Chart<?, ?> chart) {
        fit(chart);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart as PNG", e);
        }
    }

    /** The chart as an {@code <svg>} element, without the XML prolog and DOCTYPE (its title and legend fitted first). */
    public static String svg(Chart<?, ?> chart) {
        fit(chart);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart as SVG", e);
        }
        return SVG_PROLOG.matcher(out.toString(StandardCharsets.UTF_8)).replaceFirst("");
    }

    /** The chart as a {@code data:image/png;base64,…} URI for an {@code <img>}. */
    public static String dataUri(Chart<?, ?> chart) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(chart));
    }

    /** A one-line description: the chart type, title, size and series. */
    public static String text(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " \"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ", series: "
                + String.join(", ", chart.getSeriesMap().keySet()) + ")";
    }

    /** The width in pixels the chart's title takes in its title font. */
    public static double titleWidth(Chart<?, ?> chart) {
        return width(chart.getTitle(), chart.getStyler().getChartTitleFont());
    }

    /** The width in pixels of the widest legend entry in the legend font. */
    public static double legendWidth(Chart<?, ?> chart) {
        Font font = chart.getStyler().getLegendFont();
        return chart.getSeriesMap().values().stream().mapToDouble(s -> width(s.getLabel(), font)).max().orElse(0);
    }

    /**
     * Shortens the chart's title in the middle ("Memory · Llama-3.1-8B · Apple M3 … 64 GB") until it
     * fits above the plot (see {@link #titleRoom}), and each legend entry until it fits {@link #LEGEND_SHARE} of it; what
     * fits is left alone.
     */
    static void fit(Chart<?, ?> chart) {
        Font legend = chart.getStyler().getLegendFont();
        for (var series : chart.getSeriesMap().values()) {
            if (series.getLabel() != null) {
                series.setLabel(shorten(series.getLabel(), legend, LEGEND_SHARE * chart.getWidth()));
            }
        }
        String title = chart.getTitle();
        if (title != null && chart.getStyler().isChartTitleVisible()) {
            chart.setTitle(shorten(title, chart.getStyler().getChartTitleFont(), titleRoom(chart)));
        }
    }

    /**
     * The width a title may take: XChart centres it over the plot, not the chart, so with a legend
     * on the right it has twice the distance from the plot's centre to the nearer edge. The plot's
     * left edge is taken as {@link #AXIS_ROOM} from the chart's, its right edge as the chart's less
     * the legend (its widest entry, its marker and paddings).
     */
    private static double titleRoom(Chart<?, ?> chart) {
        double width = chart.getWidth();
        boolean legendRight = chart.getStyler().isLegendVisible()
                && chart.getStyler().getLegendPosition() == org.knowm.xchart.style.Styler.LegendPosition.OutsideE;
        double right = width - (legendRight ? legendWidth(chart) + LEGEND_CHROME : TITLE_MARGIN);
        double centre = (AXIS_ROOM + right) / 2;
        return 2 * Math.min(centre, width - centre) - 2 * TITLE_MARGIN;
    }

    /** {@code text} with its middle replaced by "…" so that it is at most {@code pixels} wide in {@code font}. */
    static String shorten(String text, Font font, double pixels) {
        if (width(text, font) <= pixels) {
            return text;
        }
        int keep = text.length() - 1;
        while (keep > 1) {
            int head = (keep + 1) / 2;
            String s = text.substring(0, head).stripTrailing() + "…" + text.substring(text.length() - (keep - head)).stripLeading();
            if (width(s, font) <= pixels) {
                return s;
            }
            keep--;
        }
        return "…";
    }

    private static double width(String text, Font font) {
        return text == null || text.isEmpty() ? 0 : font.getStringBounds(text, FONTS).getWidth();
    }
}
