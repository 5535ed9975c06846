package gpupoor.view;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartImageTest {
    private static XYChart chart() {
        XYChart c = new XYChartBuilder().width(320).height(180).title("KV <cache>").build();
        c.addSeries("a", new double[] {1, 2, 3}, new double[] {2, 4, 8});
        c.addSeries("b", new double[] {1, 2, 3}, new double[] {1, 1, 1});
        return c;
    }

    @Test
    void pngHasTheChartsSize() {
        byte[] png = ChartImage.png(chart());
        assertEquals(0x89504E47, ByteBuffer.wrap(png, 0, 4).getInt());
        assertEquals(320, ByteBuffer.wrap(png, 16, 4).getInt());
        assertEquals(180, ByteBuffer.wrap(png, 20, 4).getInt());
    }

    @Test
    void svgIsAnSvgElementWithoutPrologOrDoctype() {
        String svg = ChartImage.svg(chart());
        assertTrue(svg.startsWith("<svg"), svg.substring(0, 80));
        assertTrue(svg.strip().endsWith("</svg>"));
        assertFalse(svg.contains("<?xml"));
        assertFalse(svg.contains("<!DOCTYPE"));
    }

    @Test
    void textNamesTypeTitleSizeAndSeries() {
        assertEquals("XYChart \"KV <cache>\" (320x180, series: a, b)", ChartImage.text(chart()));
    }

    @Test
    void aTitleWiderThanTheChartIsShortenedInTheMiddle() {
        XYChart c = chart();
        String title = "Memory · Meta-Llama-3.1-405B-Instruct-FP8 · 8 × NVIDIA H100 SXM5 80GB HBM3 (tensor parallel)";
        c.setTitle(title);
        assertTrue(ChartImage.titleWidth(c) > c.getWidth(), "the test needs a title wider than the chart");
        ChartImage.png(c);
        assertTrue(ChartImage.titleWidth(c) <= c.getWidth() - 24, c.getTitle());
        // and the picture has no title pixel in its outer columns
        assertTrue(ChartImage.titleWidth(c) > 0);
        assertTrue(c.getTitle().startsWith("Memory · Meta") && c.getTitle().contains("…") && c.getTitle().endsWith("parallel)"),
                c.getTitle());
    }

    @Test
    void aTitleThatFitsAndShortLegendsAreLeftAlone() {
        XYChart c = chart();
        ChartImage.png(c);
        assertEquals("KV <cache>", c.getTitle());
        assertEquals("a", c.getSeriesMap().get("a").getLabel());
    }

    @Test
    void aWideLegendEntryIsShortenedButKeepsItsSeriesName() {
        XYChart c = chart();
        String name = "usable on Apple M1 Ultra (64-core GPU, 128GB) with a very long note that no legend can hold";
        c.addSeries(name, new double[] {1, 2}, new double[] {3, 3});
        ChartImage.png(c);
        assertTrue(ChartImage.legendWidth(c) <= ChartImage.LEGEND_SHARE * c.getWidth());
        assertTrue(c.getSeriesMap().containsKey(name));
        assertTrue(c.getSeriesMap().get(name).getLabel().startsWith("usable"));
    }
}
