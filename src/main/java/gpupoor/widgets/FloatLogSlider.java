package gpupoor.widgets;

import java.util.function.DoubleConsumer;

/**
 * A slider on a logarithmic scale ({@code FloatLogSliderModel}): equal steps multiply the value, as
 * context lengths or batch sizes grow. The model's {@code min}, {@code max} and {@code step} are
 * exponents of {@code base}; this class takes and returns values.
 * <pre>{@code
 * FloatLogSlider context = new FloatLogSlider("context", 256, 131072, 4096).base(2).step(1);
 * context.show();
 * }</pre>
 */
public final class FloatLogSlider extends Control {
    private final double low;
    private final double high;

    /**
     * A base-10 log slider from {@code min} to {@code max} (both positive), at {@code value} (clamped).
     *
     * @throws IllegalArgumentException if a bound is not positive or {@code min > max}
     */
    public FloatLogSlider(String description, double min, double max, double value) {
        super("FloatLogSliderModel", "FloatLogSliderView", Sliders.style(), description);
        if (!(min > 0) || !(max > 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("a log slider needs positive bounds, got " + min + " and " + max);
        }
        Sliders.checkRange(description, min, max);
        this.low = min;
        this.high = max;
        define("base", 10.0);
        Sliders.define(this, exponent(min, 10), exponent(max, 10), clamp(value, min, max), 0.1, ".3g");
    }

    /** log_base(value), rounded to 12 decimals so that powers of the base give whole exponents. */
    private static double exponent(double value, double base) {
        return Math.round(Math.log(value) / Math.log(base) * 1e12) / 1e12;
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
    public FloatLogSlider value(double value) {
        set("value", clamp(value, min(), max()));
        return this;
    }

    /** The logarithm's base. */
    public double base() {
        return (Double) get("base");
    }

    /** The smallest value ({@code base ^ min exponent}). */
    public double min() {
        return low;
    }

    /** The largest value. */
    public double max() {
        return high;
    }

    /**
     * Changes the base, keeping the value range: with base 2 and step 1 the slider moves in powers of two.
     *
     * @return this slider
     * @throws IllegalArgumentException if the base is not above 1
     */
    public FloatLogSlider base(double base) {
        if (!(base > 1) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("a log slider's base must be above 1, not " + base);
        }
        set("base", base);
        set("min", exponent(low, base));
        set("max", exponent(high, base));
        return this;
    }

    /**
     * Sets the step in exponents of the base (1 with base 2: each step doubles the value).
     *
     * @return this slider
     * @throws IllegalArgumentException if the step is not positive
     */
    public FloatLogSlider step(double exponentStep) {
        if (!(exponentStep > 0) || Double.isInfinite(exponentStep)) {
            throw new IllegalArgumentException("a slider's step must be a positive number, not " + exponentStep);
        }
        set("step", exponentStep);
        return this;
    }

    /**
     * Calls {@code callback} with each new value.
     *
     * @return this slider
     */
    public FloatLogSlider onChange(DoubleConsumer callback) {
        observe("value", v -> callback.accept((Double) v));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        return switch (property) {
            case "value" -> clamp(toDouble(json), min(), max());
            case "step" -> toDouble(json);
            case "min", "max", "base" -> throw new IllegalArgumentException("a log slider's range is set by the kernel");
            default -> json;
        };
    }
}
