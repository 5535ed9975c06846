package gpupoor.widgets;

import java.util.function.IntConsumer;

/**
 * A slider over whole numbers ({@code IntSliderModel}).
 * <pre>{@code
 * IntSlider batch = new IntSlider("batch", 1, 64, 8);
 * batch.onChange(b -> System.out.println(b));
 * batch.show();
 * }</pre>
 */
public final class IntSlider extends Control {
    /**
     * A horizontal slider from {@code min} to {@code max}, at {@code value} (clamped into the range).
     *
     * @throws IllegalArgumentException if {@code min > max}
     */
    public IntSlider(String description, int min, int max, int value) {
        super("IntSliderModel", "IntSliderView", Sliders.style(), description);
        Sliders.checkRange(description, min, max);
        Sliders.define(this, min, max, Math.max(min, Math.min(max, value)), 1, "d");
    }

    /** The current value. */
    public int value() {
        return (Integer) get("value");
    }

    /**
     * Moves the slider (the value is clamped into its range).
     *
     * @return this slider
     */
    public IntSlider value(int value) {
        set("value", Math.max(min(), Math.min(max(), value)));
        return this;
    }

    /** The smallest value. */
    public int min() {
        return (Integer) get("min");
    }

    /** The largest value. */
    public int max() {
        return (Integer) get("max");
    }

    /**
     * Sets the step between values.
     *
     * @return this slider
     * @throws IllegalArgumentException if {@code step < 1}
     */
    public IntSlider step(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("a slider's step must be at least 1, not " + step);
        }
        set("step", step);
        return this;
    }

    /**
     * Whether the value changes while the slider is dragged (true) or only when it is released.
     *
     * @return this slider
     */
    public IntSlider continuousUpdate(boolean continuous) {
        set("continuous_update", continuous);
        return this;
    }

    /**
     * Calls {@code callback} with each new value.
     *
     * @return this slider
     */
    public IntSlider onChange(IntConsumer callback) {
        observe("value", v -> callback.accept((Integer) v));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        return switch (property) {
            case "value" -> Math.max(min(), Math.min(max(), toInt(json)));
            case "min", "max", "step" -> toInt(json);
            default -> json;
        };
    }
}
