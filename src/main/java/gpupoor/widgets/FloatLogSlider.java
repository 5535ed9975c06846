package gpupoor.widgets;

/**
 * A slider on a logarithmic scale ({@code FloatLogSliderModel}): equal steps multiply the value, as
 * context lengths or batch sizes grow. The model's {@code min}, {@code max} and {@code step} are
 * exponents of {@code base}; this class takes and returns values.
 * <pre>{@code
 * FloatLogSlider context = new FloatLogSlider("context", 256, 131072, 4096).base(2).step(1);
 * context.show();
 * }</pre>
 */
public final class FloatLogSlider extends DecimalSlider<FloatLogSlider> {
    private final double low;
    private final double high;

    /**
     * A base-10 log slider from {@code min} to {@code max} (both positive), at {@code value} (clamped).
     *
     * @throws IllegalArgumentException if a bound is not positive or {@code min > max}
     */
    public FloatLogSlider(String description, double min, double max, double value) {
        super("FloatLogSliderModel", "FloatLogSliderView", description);
        if (!(min > 0) || !(max > 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("a log slider needs positive bounds, got " + min + " and " + max);
        }
        Sliders.checkRange(description, min, max);
        this.low = min;
        this.high = max;
        define("base", 10.0);
        Sliders.define(this, exponent(min, 10), exponent(max, 10), Sliders.clamp(value, min, max), 0.1, ".3g");
    }

    /** log_base(value), rounded to 12 decimals so that powers of the base give whole exponents. */
    private static double exponent(double value, double base) {
        return Math.round(Math.log(value) / Math.log(base) * 1e12) / 1e12;
    }

    @Override
    FloatLogSlider self() {
        return this;
    }

    /** The logarithm's base. */
    public double base() {
        return (Double) get("base");
    }

    @Override
    public double min() {
        return low;
    }

    @Override
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
        set("step", Sliders.positiveStep(exponentStep));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        return switch (property) {
            case "value" -> Sliders.clamp(toDouble(json), min(), max());
            case "step" -> toDouble(json);
            case "min", "max", "base" -> throw new IllegalArgumentException("a log slider's range is set by the kernel");
            default -> json;
        };
    }
}
