package gpupoor.widgets;

import java.util.function.DoubleConsumer;

/**
 * A slider over decimal numbers ({@code FloatSliderModel}).
 * <pre>{@code
 * FloatSlider util = new FloatSlider("GPU memory use", 0.5, 0.99, 0.9).step(0.01);
 * util.show();
 * }</pre>
 */
public final class FloatSlider extends Control {
    /**
     * A horizontal slider from {@code min} to {@code max}, at {@code value} (clamped), step 0.1.
     *
     * @throws IllegalArgumentException if {@code min > max} or a bound is not a finite number
     */
    public FloatSlider(String description, double min, double max, double value) {
        super("FloatSliderModel", "FloatSliderView", Sliders.style(), description);
        Sliders.checkRange(description, min, max);
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("slider bounds must be finite numbers, got " + min + " and " + max);
        }
        Sliders.define(this, min, max, clamp(value, min, max), 0.1, ".2f");
    }

    private static double clamp(double v, double min, double max) {
        return Double.isNaN(v) ? min : Math.max(min, Math.min(max, v));
    }

    /** The current value. */
    public double value() {
        return (Double) get("value");
    }

    /**
     * Moves the slider (the value is clamped into its range).
     *
     * @return this slider
     */
    public FloatSlider value(double value) {
        set("value", clamp(value, min(), max()));
        return this;
    }

    /** The smallest value. */
    public double min() {
        return (Double) get("min");
    }

    /** The largest value. */
    public double max() {
        return (Double) get("max");
    }

    /**
     * Sets the step between values.
     *
     * @return this slider
     * @throws IllegalArgumentException if the step is not positive
     */
    public FloatSlider step(double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("a slider's step must be a positive number, not " + step);
        }
        set("step", step);
        return this;
    }

    /**
     * How the value is printed next to the slider, a d3-format string such as {@code ".2f"}.
     *
     * @return this slider
     */
    public FloatSlider readoutFormat(String format) {
        set("readout_format", format);
        return this;
    }

    /**
     * Calls {@code callback} with each new value.
     *
     * @return this slider
     */
    public FloatSlider onChange(DoubleConsumer callback) {
        observe("value", v -> callback.accept((Double) v));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        return switch (property) {
            case "value" -> clamp(toDouble(json), min(), max());
            case "min", "max", "step" -> toDouble(json);
            default -> json;
        };
    }
}
