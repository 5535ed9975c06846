package gpupoor.widgets;

/**
 * A progress bar ({@code FloatProgressModel}).
 * <pre>{@code
 * ProgressBar bar = new ProgressBar("sweep", 0, 1_000_000);
 * bar.show();
 * bar.value(250_000);
 * bar.barStyle("success");
 * }</pre>
 */
public final class ProgressBar extends Control {
    /**
     * A horizontal bar from {@code min} to {@code max}, at {@code min}.
     *
     * @throws IllegalArgumentException if {@code min > max}
     */
    public ProgressBar(String description, double min, double max) {
        super("FloatProgressModel", "ProgressView", new Style("ProgressStyleModel", "bar_color", null), description);
        Sliders.checkRange(description, min, max);
        define("bar_style", "");
        define("max", max);
        define("min", min);
        define("orientation", "horizontal");
        define("value", min);
    }

    /** The current value. */
    public double value() {
        return (Double) get("value");
    }

    /**
     * Moves the bar (clamped into its range).
     *
     * @return this bar
     */
    public ProgressBar value(double value) {
        double min = (Double) get("min");
        double max = (Double) get("max");
        set("value", Sliders.clamp(value, min, max));
        return this;
    }

    /**
     * Colours the bar: {@code "success"}, {@code "info"}, {@code "warning"}, {@code "danger"} or {@code ""}.
     *
     * @return this bar
     * @throws IllegalArgumentException for another style
     */
    public ProgressBar barStyle(String style) {
        if (!java.util.List.of("success", "info", "warning", "danger", "").contains(style)) {
            throw new IllegalArgumentException("bar style '" + style
                    + "' is not one of success, info, warning, danger or \"\"");
        }
        set("bar_style", style);
        return this;
    }
}
