package gpupoor.widgets;

import java.util.List;

/**
 * The CSS layout of a widget ({@code LayoutModel} of {@code @jupyter-widgets/base}): width, height,
 * margins, flex settings. Every property starts unset (null), as in ipywidgets.
 * <pre>{@code
 * slider.layout().set("width", "400px");
 * }</pre>
 */
public final class Layout extends Widget {
    /** The layout properties of {@code LayoutModel} 2.0. */
    static final List<String> PROPERTIES = List.of("align_content", "align_items", "align_self", "border_bottom",
            "border_left", "border_right", "border_top", "bottom", "display", "flex", "flex_flow", "grid_area",
            "grid_auto_columns", "grid_auto_flow", "grid_auto_rows", "grid_column", "grid_gap", "grid_row",
            "grid_template_areas", "grid_template_columns", "grid_template_rows", "height", "justify_content",
            "justify_items", "left", "margin", "max_height", "max_width", "min_height", "min_width", "object_fit",
            "object_position", "order", "overflow", "padding", "right", "top", "visibility", "width");

    /** A layout with every property unset. */
    public Layout() {
        super(BASE, BASE_VERSION, "LayoutModel", BASE, BASE_VERSION, "LayoutView");
        PROPERTIES.forEach(p -> define(p, null));
    }

    /**
     * Sets a CSS property, e.g. {@code set("width", "50%")}.
     *
     * @param property a layout property such as {@code width}, {@code margin}, {@code flex_flow}
     * @param css      the CSS value, or null to unset it
     * @return this layout
     * @throws IllegalArgumentException for a property that {@code LayoutModel} does not have
     */
    public Layout set(String property, String css) {
        if (!PROPERTIES.contains(property)) {
            throw new IllegalArgumentException("a widget layout has no property '" + property + "'; it has "
                    + String.join(", ", PROPERTIES));
        }
        super.set(property, css);
        return this;
    }
}
