package gpupoor.widgets;

import java.util.function.DoubleConsumer;

/**
 * What the sliders over decimal numbers share: the value, clamped into the slider's range, and
 * observers of it.
 *
 * @param <S> the slider's own type, returned by its fluent methods
 */
public abstract class DecimalSlider<S extends DecimalSlider<S>> extends Control {
    DecimalSlider(String model, String view, String description) {
        super(model, view, Sliders.style(), description);
    }

    /** This slider as its own type. */
    abstract S self();

    /** The smallest value. */
    public abstract double min();

    /** The largest value. */
    public abstract double max();

    /** The current value. */
    public final double value() {
        return (Double) get("value");
    }

    /**
     * Moves the slider (the value is clamped into its range).
     *
     * @return this slider
     */
    public final S value(double value) {
        set("value", Sliders.clamp(value, min(), max()));
        return self();
    }

    /**
     * Calls {@code callback} with each new value.
     *
     * @return this slider
     */
    public final S onChange(DoubleConsumer callback) {
        observe("value", v -> callback.accept((Double) v));
        return self();
    }
}
