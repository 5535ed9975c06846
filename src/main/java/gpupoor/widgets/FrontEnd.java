package gpupoor.widgets;

import java.util.Map;

/**
 * Where widgets are shown: the transport between widget models in this JVM and their views. The
 * Jupyter kernel implements it with the Jupyter widget messages (comm target {@code jupyter.widget},
 * protocol 2.1); outside a kernel (plain {@code jshell}, the command line) {@link Widgets} uses a
 * text fallback that prints what a widget would show.
 */
public interface FrontEnd {
    /** Whether widget views are rendered: a front end with the widgets extension is connected. */
    boolean rendersWidgets();

    /**
     * Creates the widget's model in the front end ({@code comm_open} with its whole state).
     *
     * @param state the state as JSON values (widgets already replaced by {@code "IPY_MODEL_" + id})
     */
    void open(Widget widget, Map<String, Object> state);

    /** Sends properties the kernel side changed ({@code update}). */
    void update(Widget widget, Map<String, Object> changes);

    /** Confirms properties a front end changed, for the other views of the model ({@code echo_update}). */
    void echo(Widget widget, Map<String, Object> changes);

    /** Removes the widget's model from the front end ({@code comm_close}). */
    void close(Widget widget);

    /** Shows the widget's view in the running cell's output (opens it first). */
    void show(Widget widget);

    /**
     * Shows a line of text (and its HTML form) in the running cell's output under an id, or with
     * {@code replace} replaces what was shown under that id ({@code update_display_data}).
     */
    void showText(String displayId, String text, String html, boolean replace);

    /** A value as a Jupyter MIME bundle ({@code text/plain} at least), as a cell would show it. */
    Map<String, Object> mimeBundle(Object value);
}
