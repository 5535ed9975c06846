package gpupoor.widgets;

/** What the three sliders share: their properties, defaults and style. */
final class Sliders {
    private Sliders() {
    }

    static Style style() {
        return new Style("SliderStyleModel", "handle_color", null);
    }

    static void define(Widget w, Object min, Object max, Object value, Object step, String readoutFormat) {
        w.define("behavior", "drag-tap");
        w.define("continuous_update", true);
        w.define("disabled", false);
        w.define("max", max);
        w.define("min", min);
        w.define("orientation", "horizontal");
        w.define("readout", true);
        w.define("readout_format", readoutFormat);
        w.define("step", step);
        w.define("value", value);
    }

    /** A value clamped into [min, max]; NaN becomes min. */
    static double clamp(double v, double min, double max) {
        return Double.isNaN(v) ? min : Math.max(min, Math.min(max, v));
    }

    /** A step that must be a positive, finite number. */
    static double positiveStep(double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("a slider's step must be a positive number, not " + step);
        }
        return step;
    }

    static void checkRange(String description, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("slider " + (description == null ? "" : "'" + description + "' ")
                    + "needs min <= max, got min " + min + " and max " + max);
        }
    }
}
