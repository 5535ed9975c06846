package gpupoor.widgets;

import java.util.List;

/** A widget with a view in the page: it has a {@link Layout} and a tooltip. */
public abstract class DomWidget extends Widget {
    private final Layout layout = new Layout();

    DomWidget(String module, String version, String model, String view) {
        super(module, version, model, module, version, view);
        define("_dom_classes", List.of());
        define("layout", layout);
        define("tabbable", null);
        define("tooltip", null);
    }

    /** The widget's CSS layout (width, margins, ...). */
    public final Layout layout() {
        return layout;
    }

    /**
     * Sets the tooltip shown when the pointer rests on the widget.
     *
     * @return this widget
     */
    public DomWidget tooltip(String text) {
        set("tooltip", text);
        return this;
    }
}
