package gpupoor.dsl;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;

/** The look shared by every DSL chart: white background, legend outside on the right, readable fonts. */
final class Charts {
    private Charts() {
    }

    /** Default chart size in pixels. */
    static final int WIDTH = 820;
    /** Default chart height in pixels. */
    static final int HEIGHT = 460;

    /** The colour of device-capacity lines and bars. */
    static final Color CAPACITY = new Color(0xC44E52);

    /** Series colours for curves and bars, colour-blind friendly first. */
    static final Color[] PALETTE = {
        new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0x8172B3), new Color(0x937860),
        new Color(0xDA8BC3), new Color(0x8C8C8C), new Color(0xCCB974), new Color(0x64B5CD), new Color(0x1B5E20),
    };

    /** A line chart with titled axes. */
    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setMarkerSize(5);
        c.getStyler().setXAxisDecimalPattern("#,###.##");
        return c;
    }

    /** A bar chart with titled axes. */
    static CategoryChart category(String title, String xTitle, String yTitle, int width, int height) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setXAxisLabelRotation(0);
        c.getStyler().setAvailableSpaceFill(0.7);
        return c;
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotGridLinesColor(new Color(0xE5E5E5));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setSeriesColors(PALETTE);
        s.setYAxisDecimalPattern("#,###.##");
        s.setAntiAlias(true);
    }
}
