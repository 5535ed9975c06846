package gpupoor.kernel;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartViewTest {
    private static XYChart chart() {
        XYChart c = new XYChartBuilder().width(320).height(180).title("KV <cache>").build();
        c.addSeries("a", new double[] {1, 2, 3}, new double[] {2, 4, 8});
        c.addSeries("b", new double[] {1, 2, 3}, new double[] {1, 1, 1});
        return c;
    }

    @Test
    void pngHasTheChartsSize() {
        byte[] png = ChartView.png(chart());
        assertEquals(0x89504E47, ByteBuffer.wrap(png, 0, 4).getInt());
        assertEquals(320, ByteBuffer.wrap(png, 16, 4).getInt());
        assertEquals(180, ByteBuffer.wrap(png, 20, 4).getInt());
    }

    @Test
    void svgIsAnSvgElementWithoutPrologOrDoctype() {
        String svg = ChartView.svg(chart());
        assertTrue(svg.startsWith("<svg"), svg.substring(0, 80));
        assertTrue(svg.strip().endsWith("</svg>"));
        assertFalse(svg.contains("<?xml"));
        assertFalse(svg.contains("<!DOCTYPE"));
    }

    @Test
    void textNamesTypeTitleSizeAndSeries() {
        assertEquals("XYChart \"KV <cache>\" (320x180, series: a, b)", ChartView.text(chart()));
    }
}
