package gpupoor.widgets;

/**
 * The style model of a control ({@code SliderStyleModel}, {@code ProgressStyleModel}, ...): colours
 * and the width of its description.
 * <pre>{@code
 * slider.style().set("description_width", "initial");
 * }</pre>
 */
public final class Style extends Widget {
    /**
     * A style model with its properties, all starting at their ipywidgets defaults.
     *
     * @param model      e.g. {@code SliderStyleModel}
     * @param properties name, default, name, default, ...
     */
    Style(String model, Object... properties) {
        super(CONTROLS, CONTROLS_VERSION, model, BASE, BASE_VERSION, "StyleView");
        define("description_width", "");
        for (int i = 0; i < properties.length; i += 2) {
            define((String) properties[i], properties[i + 1]);
        }
    }

    /**
     * Sets a style property, e.g. {@code set("bar_color", "#4caf50")}.
     *
     * @param property a property of this style model
     * @param value    its value (a CSS string), or null to unset it
     * @return this style
     * @throws IllegalArgumentException for a property this style model does not have
     */
    public Style set(String property, String value) {
        super.set(property, value);
        return this;
    }
}
