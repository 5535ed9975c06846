package gpupoor.widgets;

/** A control of {@code @jupyter-widgets/controls} with a description (its label) and a style. */
public abstract class Control extends DomWidget {
    private final Style style;

    Control(String model, String view, Style style, String description) {
        super(CONTROLS, CONTROLS_VERSION, model, view);
        this.style = style;
        define("description", description == null ? "" : description);
        define("description_allow_html", false);
        define("style", style);
    }

    /** The control's style (description width, colours). */
    public final Style style() {
        return style;
    }

    /** The label shown next to the control. */
    public final String description() {
        return (String) get("description");
    }

    /**
     * Changes the label shown next to the control.
     *
     * @return this control
     */
    public Control description(String text) {
        set("description", text == null ? "" : text);
        return this;
    }

    /** A JSON number from the front end as an int (it sends 3.0 for 3). */
    static int toInt(Object json) {
        if (json instanceof Number n) {
            return (int) Math.round(n.doubleValue());
        }
        throw new IllegalArgumentException("not a number: " + json);
    }

    /** A JSON number from the front end as a double. */
    static double toDouble(Object json) {
        if (json instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("not a number: " + json);
    }
}
