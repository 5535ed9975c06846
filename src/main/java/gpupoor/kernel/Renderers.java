package gpupoor.kernel;

import gpupoor.calc.Estimate;
import gpupoor.dsl.Explore;
import gpupoor.view.ChartImage;
import gpupoor.view.Displayable;
import gpupoor.view.EstimateView;
import gpupoor.view.TableView;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.util.Base64;

/**
 * What a cell's value looks like in a notebook: the kernel's adapter from {@code gpupoor.view} to
 * jjava's MIME registry. Tablesaw tables ({@link TableView}), XChart charts as PNG, SVG on request
 * ({@link ChartImage}), views ({@link Displayable}: every DSL result) and engine estimates
 * ({@link EstimateView}) as HTML; each also as {@code text/plain}; {@code explore(..)} as its widget
 * (with its panel's HTML and its text for front ends without widgets). No HTML or image is made here.
 */
final class Renderers {
    /** A widget's view, as the widget registration in {@code protocol.WidgetComms} renders a widget. */
    private static final MIMEType WIDGET_VIEW = MIMEType.parse("application/vnd.jupyter.widget-view+json");

    private Renderers() {
    }

    /** A renderer outside a kernel (plain jshell): jjava's text and image types, and ours. */
    static Renderer standalone() {
        Renderer renderer = new Renderer();
        org.dflib.jjava.jupyter.kernel.display.common.Text.registerAll(renderer);
        org.dflib.jjava.jupyter.kernel.display.common.Image.registerAll(renderer);
        register(renderer);
        return renderer;
    }

    /** A value's MIME bundle; display data made by {@code html(..)} and the like is shown as it is. */
    static DisplayData render(Renderer renderer, Object value) {
        return value instanceof DisplayData data ? data : renderer.render(value);
    }

    /** A value's MIME bundle with the given types (plus {@code text/plain}); display data is shown as it is. */
    static DisplayData renderAs(Renderer renderer, Object value, String... mimeTypes) {
        return value instanceof DisplayData data ? data : renderer.renderAs(value, mimeTypes);
    }

    /** Adds our types to a renderer (a kernel's renderer already has jjava's built-in types). */
    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> TableView.html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> TableView.text(table));
                });
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_SVG, MIMEType.TEXT_PLAIN)
                .register(Renderers::chart);
        renderer.createRegistration(Displayable.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((d, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, d::toHtml);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, d::toText);
                });
        renderer.createRegistration(Explore.class)
                .preferring(WIDGET_VIEW, MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((x, ctx) -> {
                    ctx.renderIfRequested(WIDGET_VIEW,
                            () -> renderer.render(x.widget()).getData(WIDGET_VIEW));
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, x::html);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, x::toText);
                });
        renderer.createRegistration(Estimate.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((e, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> EstimateView.html(e));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> EstimateView.text(e));
                });
    }

    @SuppressWarnings("rawtypes")
    private static void chart(Chart chart, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> Base64.getEncoder().encodeToString(ChartImage.png(chart)));
        ctx.renderIfRequested(MIMEType.IMAGE_SVG, () -> ChartImage.svg(chart));
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> ChartImage.text(chart));
    }
}
