package gpupoor.widgets;

/**
 * A slider over decimal numbers ({@code FloatSliderModel}).
 * <pre>{@code
 * FloatSlider util = new FloatSlider("GPU memory use", 0.5, 0.99, 0.9).step(0.01);
 * util.show();
 * }</pre>
 */
public final class FloatSlider extends DecimalSlider<FloatSlider> {
    /**
     * A horizontal slider from {@code min} to {@code max}, at {@code value} (clamped), step 0.1.
     *
     * @throws IllegalArgumentException if {@code min > max} or a bound is not a finite number
     */
    public FloatSlider(String description, double min, double max, double value) {
        super("FloatSliderModel", "FloatSliderView", description);
        Sliders.checkRange(description, min, max);
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("slider bounds must be finite numbers, got " + min + " and " + max);
        }
        Sliders.define(this, min, max, Sliders.clamp(value, min, max), 0.1, ".2f");
    }

    @Override
    FloatSlider self() {
        return this;
    }

    @Override
    public double min() {
        return (Double) get("min");
    }

    @Override
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
        set("step", Sliders.positiveStep(step));
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

    @Override
    Object fromJson(String property, Object json) {
        return switch (property) {
            case "value" -> Sliders.clamp(toDouble(json), min(), max());
            case "min", "max", "step" -> toDouble(json);
            default -> json;
        };
    }
}
