package gpupoor.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Helpers for notebook cells, imported statically in every kernel session:
 * <pre>{@code
 * display(table);                      // show now, not only as the cell's last value
 * display(chart, "image/svg+xml");     // choose the MIME type(s)
 * html("<b>fits</b> on one GPU")       // raw HTML (also markdown(..))
 * clearOutput();                       // e.g. before redrawing a progress line
 * page(bigTable);                      // in the pager instead of the output
 * }</pre>
 * Outside a kernel (plain {@code jshell}), {@code display} prints the text form instead.
 */
public final class Display {
    private static Renderer standalone;

    private Display() {
    }

    /**
     * Shows a value in the cell's output now, as its richest form: a tablesaw {@code Table} as a table,
     * an XChart chart as a PNG image, a DSL result or an engine estimate as HTML, anything else as text.
     *
     * @param value what to show
     */
    public static void display(Object value) {
        GpuPoorKernel kernel = GpuPoorKernel.current();
        if (kernel == null) {
            System.out.println(text(Renderers.render(renderer(), value)));
        } else {
            kernel.display(Renderers.render(kernel.getRenderer(), value));
        }
    }

    /**
     * Shows a value in the cell's output as the given MIME types, e.g. a chart as
     * {@code "image/svg+xml"} instead of PNG. {@code text/plain} is always included.
     *
     * @param value     what to show
     * @param mimeTypes the types wanted, e.g. {@code "image/svg+xml"}, {@code "text/html"}
     */
    public static void display(Object value, String... mimeTypes) {
        GpuPoorKernel kernel = GpuPoorKernel.current();
        if (kernel == null) {
            System.out.println(text(Renderers.renderAs(renderer(), value, mimeTypes)));
        } else {
            kernel.display(Renderers.renderAs(kernel.getRenderer(), value, mimeTypes));
        }
    }

    /**
     * Prints a value's text form on standard output, in a notebook or a jshell script alike (a
     * script's bare expression statement prints nothing). Example: {@code print(s.estimate());}
     *
     * @param value what to print
     */
    public static void print(Object value) {
        System.out.println(text(Renderers.render(GpuPoorKernel.current() == null ? renderer()
                : GpuPoorKernel.current().getRenderer(), value)));
    }

    /**
     * HTML to show as is, as a cell's value or with {@link #display(Object)}.
     *
     * @param html an HTML fragment
     * @return the fragment as display data ({@code text/html}, with the source as {@code text/plain})
     */
    public static DisplayData html(String html) {
        DisplayData data = new DisplayData(html);
        data.putHTML(html);
        return data;
    }

    /**
     * Markdown to show formatted, as a cell's value or with {@link #display(Object)}.
     *
     * @param markdown Markdown text
     * @return the text as display data ({@code text/markdown}, with the source as {@code text/plain})
     */
    public static DisplayData markdown(String markdown) {
        DisplayData data = new DisplayData(markdown);
        data.putMarkdown(markdown);
        return data;
    }

    /**
     * Shows a value in the front end's pager (the classic Notebook's panel at the bottom, JupyterLab's
     * output below the cell, the console's pager) rather than as cell output.
     *
     * @param value what to show, rendered as {@link #display(Object)} would
     */
    public static void page(Object value) {
        GpuPoorKernel kernel = GpuPoorKernel.current();
        if (kernel == null) {
            System.out.println(text(Renderers.render(renderer(), value)));
        } else {
            kernel.page(Renderers.render(kernel.getRenderer(), value));
        }
    }

    /** Clears the running cell's output now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the running cell's output.
     *
     * @param wait true to clear only when the next output arrives (no flicker when redrawing)
     */
    public static void clearOutput(boolean wait) {
        GpuPoorKernel kernel = GpuPoorKernel.current();
        if (kernel != null) {
            kernel.clearOutput(wait);
        }
    }

    private static synchronized Renderer renderer() {
        if (standalone == null) {
            standalone = Renderers.standalone();
        }
        return standalone;
    }

    private static String text(DisplayData data) {
        return String.valueOf(data.getData(MIMEType.TEXT_PLAIN));
    }
}
