package gpupoor.kernel;

import gpupoor.view.ChartImage;
import gpupoor.view.TableView;
import gpupoor.view.Displayable;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderersTest {
    private final Renderer renderer = Renderers.standalone();

    @Test
    void tableIsHtmlAndText() {
        Table t = Table.create("t", IntColumn.create("x", 1, 2));
        DisplayData d = Renderers.render(renderer, t);
        assertEquals(TableView.html(t), d.getData(MIMEType.TEXT_HTML));
        assertEquals(TableView.text(t), d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void exploreIsItsPanelsHtmlAndItsTextWithoutAWidgetFrontEnd() {
        gpupoor.dsl.Explore x = gpupoor.dsl.Dsl.explore(gpupoor.dsl.Dsl.model("meta-llama/Llama-3.1-8B")
                .on(gpupoor.dsl.Dsl.gpu("rtx-4090")));
        DisplayData d = Renderers.render(renderer, x);
        assertEquals(x.html(), d.getData(MIMEType.TEXT_HTML));
        assertEquals(x.toText(), d.getData(MIMEType.TEXT_PLAIN));
        assertTrue(x.html().contains("gpupoor-explore-total"));
    }

    @Test
    void anyChartIsPngByDefaultAndSvgOnRequest() {
        PieChart pie = new PieChartBuilder().width(200).height(120).title("quants").build();
        pie.addSeries("q4", 4);
        pie.addSeries("q8", 8);
        DisplayData png = Renderers.render(renderer, pie);
        assertArrayEquals(ChartImage.png(pie), Base64.getDecoder().decode((String) png.getData(MIMEType.IMAGE_PNG)));
        assertFalse(png.hasDataForType(MIMEType.IMAGE_SVG));
        assertEquals(ChartImage.text(pie), png.getData(MIMEType.TEXT_PLAIN));
        DisplayData svg = Renderers.renderAs(renderer, pie, "image/svg+xml");
        assertTrue(((String) svg.getData(MIMEType.IMAGE_SVG)).startsWith("<svg"));
        assertFalse(svg.hasDataForType(MIMEType.IMAGE_PNG));
    }

    @Test
    void displayableShowsItsOwnHtmlAndText() {
        Displayable d = new Displayable() {
            @Override
            public String toHtml() {
                return "<p>4 GPUs</p>";
            }

            @Override
            public String toText() {
                return "4 GPUs";
            }
        };
        DisplayData data = Renderers.render(renderer, d);
        assertEquals("<p>4 GPUs</p>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("4 GPUs", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void displayDataIsShownAsItIs() {
        DisplayData html = Display.html("<b>x</b>");
        assertSame(html, Renderers.render(renderer, html));
        assertSame(html, Renderers.renderAs(renderer, html, "text/plain"));
        assertEquals("<b>x</b>", html.getData(MIMEType.TEXT_HTML));
        assertEquals("<b>x</b>", html.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void otherValuesAreText() {
        assertEquals("42", Renderers.render(renderer, 42).getData(MIMEType.TEXT_PLAIN));
    }
}
