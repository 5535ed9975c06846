package gpupoor.widgets;

import java.util.function.Consumer;

/**
 * A checkbox ({@code CheckboxModel}).
 * <pre>{@code
 * Checkbox flash = new Checkbox("flash attention", true);
 * flash.show();
 * }</pre>
 */
public final class Checkbox extends Control {
    /** A checkbox with its label and state. */
    public Checkbox(String description, boolean value) {
        super("CheckboxModel", "CheckboxView", new Style("CheckboxStyleModel", "background", null), description);
        define("disabled", false);
        define("indent", true);
        define("value", value);
    }

    /** Whether it is checked. */
    public boolean value() {
        return (Boolean) get("value");
    }

    /**
     * Checks or unchecks it.
     *
     * @return this checkbox
     */
    public Checkbox value(boolean value) {
        set("value", value);
        return this;
    }

    /**
     * Calls {@code callback} with each new state.
     *
     * @return this checkbox
     */
    public Checkbox onChange(Consumer<Boolean> callback) {
        observe("value", v -> callback.accept((Boolean) v));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        if (property.equals("value") && !(json instanceof Boolean)) {
            throw new IllegalArgumentException("a checkbox's value is true or false, not " + json);
        }
        return json;
    }
}
