package gpupoor.widgets;

import java.util.List;
import java.util.function.Consumer;

/** A control that selects one of several labelled options (dropdown, toggle buttons). */
public abstract class Selection extends Control {
    private final List<String> options;

    Selection(String model, String view, Style style, String description, List<String> options, String value) {
        super(model, view, style, description);
        if (options == null || options.isEmpty()) {
            throw new IllegalArgumentException((description == null ? "a selection" : "'" + description + "'")
                    + " needs at least one option");
        }
        this.options = List.copyOf(options);
        define("_options_labels", this.options);
        define("disabled", false);
        define("index", value == null ? 0 : indexOf(value));
    }

    private int indexOf(String value) {
        int i = options.indexOf(value);
        if (i < 0) {
            throw new IllegalArgumentException("'" + value + "' is not one of the options of "
                    + (description().isEmpty() ? "this selection" : "'" + description() + "'") + ": "
                    + String.join(", ", options));
        }
        return i;
    }

    /** The options, in order. */
    public final List<String> options() {
        return options;
    }

    /** The selected option. */
    public final String value() {
        Object i = get("index");
        return i == null ? null : options.get((Integer) i);
    }

    /** The selected option's position. */
    public final int index() {
        return (Integer) get("index");
    }

    /**
     * Selects an option.
     *
     * @return this control
     * @throws IllegalArgumentException naming the options if {@code value} is not one of them
     */
    public Selection value(String value) {
        set("index", indexOf(value));
        return this;
    }

    /**
     * Calls {@code callback} with each newly selected option.
     *
     * @return this control
     */
    public Selection onChange(Consumer<String> callback) {
        observe("index", i -> callback.accept(i == null ? null : options.get((Integer) i)));
        return this;
    }

    @Override
    Object fromJson(String property, Object json) {
        if (property.equals("index")) {
            int i = toInt(json);
            if (i < 0 || i >= options.size()) {
                throw new IllegalArgumentException("option " + i + " does not exist (there are " + options.size() + ")");
            }
            return i;
        }
        return json;
    }
}
