package gpupoor.kernel;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** An XChart chart as notebook output: PNG (the default), SVG on request, and a one-line text. */
final class ChartView {
    /** The XML declaration and DOCTYPE before {@code <svg}: notebooks embed the SVG element itself. */
    private static final Pattern SVG_PROLOG = Pattern.compile("\\A\\s*(<\\?xml[^>]*\\?>\\s*)?(<!DOCTYPE[^>]*>\\s*)?");

    private ChartView() {
    }

    /** The chart drawn at its own size as a PNG image. */
    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart as PNG", e);
        }
    }

    /** The chart as an {@code <svg>} element, without the XML prolog and DOCTYPE. */
    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart as SVG", e);
        }
        return SVG_PROLOG.matcher(out.toString(StandardCharsets.UTF_8)).replaceFirst("");
    }

    /** A one-line description: the chart type, title, size and series. */
    static String text(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " \"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ", series: "
                + String.join(", ", chart.getSeriesMap().keySet()) + ")";
    }
}
