package gpupoor.widgets;

import java.util.ArrayList;
import java.util.List;

/** Widgets side by side ({@link HBox}) or stacked ({@link VBox}). */
public abstract class Box extends DomWidget {
    Box(String model, String view, Widget... children) {
        super(CONTROLS, CONTROLS_VERSION, model, view);
        define("box_style", "");
        define("children", List.of(children));
    }

    /** The widgets in the box. */
    @SuppressWarnings("unchecked")
    public final List<Widget> children() {
        return (List<Widget>) get("children");
    }

    /**
     * Replaces the widgets in the box.
     *
     * @return this box
     */
    public final Box children(Widget... children) {
        set("children", List.of(children));
        return this;
    }

    /**
     * Adds a widget at the end.
     *
     * @return this box
     */
    public final Box add(Widget child) {
        List<Widget> all = new ArrayList<>(children());
        all.add(child);
        set("children", List.copyOf(all));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        if (property.equals("children")) {
            throw new IllegalArgumentException("a box's children are set by the kernel, not the front end");
        }
        return json;
    }

    @Override
    public String toString() {
        if (children().isEmpty()) {
            return modelName().replaceFirst("Model$", "") + "()";
        }
        StringBuilder sb = new StringBuilder();
        for (Widget w : children()) {
            sb.append(sb.length() == 0 ? "" : "\n").append(w);
        }
        return sb.toString();
    }
}
