package gpupoor.widgets;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * The front end widgets are shown in: the Jupyter kernel's when the code runs in a notebook, else
 * a text fallback that prints each widget's value ({@code jshell}, scripts). A line shown with
 * {@code showText} is redrawn in place with a carriage return there.
 */
public final class Widgets {
    private static volatile FrontEnd frontEnd = new TextFrontEnd();

    private Widgets() {
    }

    /** The current front end. */
    public static FrontEnd frontEnd() {
        return frontEnd;
    }

    /**
     * Sets the front end; the kernel calls this when it starts.
     *
     * @param front the transport to use from now on
     */
    public static void use(FrontEnd front) {
        frontEnd = Objects.requireNonNull(front);
    }

    /** Without a Jupyter front end: widgets print their text form on System.out. */
    static final class TextFrontEnd implements FrontEnd {
        @Override
        public boolean rendersWidgets() {
            return false;
        }

        @Override
        public void open(Widget widget, Map<String, Object> state) {
        }

        @Override
        public void update(Widget widget, Map<String, Object> changes) {
        }

        @Override
        public void echo(Widget widget, Map<String, Object> changes) {
        }

        @Override
        public void close(Widget widget) {
        }

        @Override
        public void show(Widget widget) {
            out().println(widget);
        }

        @Override
        public void showText(String displayId, String text, String html, boolean replace) {
            PrintStream out = out();
            out.print((replace ? "\r" : "") + text);
            out.flush();
        }

        @Override
        public Map<String, Object> mimeBundle(Object value) {
            return Map.of("text/plain", String.valueOf(value));
        }

        private static PrintStream out() {
            return System.out;
        }
    }
}
