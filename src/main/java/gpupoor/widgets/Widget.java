package gpupoor.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Jupyter widget model: named properties (its state) that the kernel side and the front end both
 * change; a change on either side reaches the other, and observers hear of each change. The models
 * are those of {@code @jupyter-widgets/controls} 2.0, {@code @jupyter-widgets/base} 2.0 and
 * {@code @jupyter-widgets/output} 1.0 (ipywidgets 8), with the same property names and defaults.
 * <pre>{@code
 * IntSlider batch = new IntSlider("batch", 1, 64, 8);
 * batch.onChange(b -> System.out.println("batch is now " + b));
 * batch.show();
 * }</pre>
 */
public abstract class Widget {
    static final String CONTROLS = "@jupyter-widgets/controls";
    static final String BASE = "@jupyter-widgets/base";
    static final String OUTPUT = "@jupyter-widgets/output";
    static final String CONTROLS_VERSION = "2.0.0";
    static final String BASE_VERSION = "2.0.0";
    static final String OUTPUT_VERSION = "1.0.0";
    /** How a reference to another widget is written in a state. */
    static final String REFERENCE = "IPY_MODEL_";

    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, Object> state = new LinkedHashMap<>();
    private final Map<String, List<Consumer<Object>>> observers = new LinkedHashMap<>();
    private volatile FrontEnd openIn;
    /** The properties the front end is setting now (their JSON values), or null. */
    private Map<String, Object> fromFrontEnd;

    /**
     * A model with its module, name and view.
     *
     * @param module     e.g. {@code @jupyter-widgets/controls}
     * @param version    the module's version
     * @param model      e.g. {@code IntSliderModel}
     * @param viewModule the view's module
     * @param view       e.g. {@code IntSliderView}
     */
    Widget(String module, String version, String model, String viewModule, String viewVersion, String view) {
        state.put("_model_module", module);
        state.put("_model_module_version", version);
        state.put("_model_name", model);
        state.put("_view_count", null);
        state.put("_view_module", viewModule);
        state.put("_view_module_version", viewVersion);
        state.put("_view_name", view);
    }

    /** The model id (the comm id in Jupyter). */
    public final String id() {
        return id;
    }

    /** The model name, e.g. {@code IntSliderModel}. */
    public final String modelName() {
        return (String) get("_model_name");
    }

    /**
     * A property's value (a number, string, boolean, list, widget or null).
     *
     * @param property e.g. {@code "value"} or {@code "description"}
     */
    public final synchronized Object get(String property) {
        return state.get(property);
    }

    /** Adds a property with its default value (constructors only). */
    final void define(String property, Object value) {
        state.put(property, value);
    }

    /**
     * Sets a property, sends it to the front end if the widget is shown, and tells the observers.
     *
     * @param property the property's name
     * @param value    its new value
     */
    protected final void set(String property, Object value) {
        Object json;
        boolean send;
        synchronized (this) {
            if (!state.containsKey(property)) {
                throw new IllegalArgumentException(modelName() + " has no property '" + property + "'");
            }
            Object old = state.put(property, value);
            if (same(old, value)) {
                return;
            }
            json = toJson(value);
            send = openIn != null && (fromFrontEnd == null || !fromFrontEnd.containsKey(property)
                    || !same(fromFrontEnd.get(property), json));
        }
        FrontEnd front = openIn;
        if (send && front != null) {
            openReferences(value, front);
            front.update(this, single(property, json));
        }
        notifyObservers(property, value);
    }

    private static Map<String, Object> single(String property, Object json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(property, json);
        return m;
    }

    /**
     * Calls {@code callback} with the new value each time the property changes, from either side.
     *
     * @param property e.g. {@code "value"}
     * @param callback runs on the kernel's cell thread; an exception it throws is reported, not rethrown
     */
    public final void observe(String property, Consumer<Object> callback) {
        synchronized (observers) {
            observers.computeIfAbsent(property, k -> new CopyOnWriteArrayList<>()).add(callback);
        }
    }

    private void notifyObservers(String property, Object value) {
        List<Consumer<Object>> list;
        synchronized (observers) {
            list = observers.get(property);
        }
        if (list != null) {
            for (Consumer<Object> c : list) {
                c.accept(value);
            }
        }
    }

    /**
     * Applies changes a front end made (the kernel calls this for each {@code update} message): the
     * values are echoed to the front ends, converted to the property types and set; a value the
     * widget corrects (e.g. clamps into range) is sent back.
     *
     * @param changes property names and JSON values
     */
    public final void fromFrontEnd(Map<String, Object> changes) {
        Map<String, Object> known = new LinkedHashMap<>();
        synchronized (this) {
            changes.forEach((k, v) -> {
                if (state.containsKey(k) && !k.startsWith("_")) {
                    known.put(k, v);
                }
            });
            fromFrontEnd = known;
        }
        FrontEnd front = openIn;
        try {
            if (front != null && !known.isEmpty()) {
                front.echo(this, known);
            }
            for (Map.Entry<String, Object> e : known.entrySet()) {
                set(e.getKey(), fromJson(e.getKey(), e.getValue()));
            }
        } finally {
            synchronized (this) {
                fromFrontEnd = null;
            }
        }
    }

    /**
     * Converts a JSON value from the front end to the property's type (JSON numbers arrive as
     * doubles); subclasses convert their own properties and check ranges.
     */
    Object fromJson(String property, Object json) {
        return json;
    }

    /** The whole state as JSON values (what {@code comm_open} and {@code request_state} send). */
    public final synchronized Map<String, Object> jsonState() {
        Map<String, Object> json = new LinkedHashMap<>();
        state.forEach((k, v) -> json.put(k, toJson(v)));
        return json;
    }

    /** Widgets become {@code "IPY_MODEL_" + id}, lists element by element. */
    static Object toJson(Object value) {
        if (value instanceof Widget w) {
            return REFERENCE + w.id;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toJson(v)));
            return out;
        }
        return value;
    }

    /** Equal values, numbers compared by value (the front end sends 3.0 for 3). */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(toJson(a), toJson(b));
    }

    /**
     * Creates the model (and the models it refers to) in the front end, once.
     *
     * @param front the front end to open it in
     */
    public final void open(FrontEnd front) {
        if (openIn != null) {
            return;
        }
        Map<String, Object> json;
        synchronized (this) {
            if (openIn != null) {
                return;
            }
            for (Object v : state.values()) {
                openReferences(v, front);
            }
            json = jsonState();
            openIn = front;
        }
        front.open(this, json);
    }

    private static void openReferences(Object value, FrontEnd front) {
        if (value instanceof Widget w) {
            w.open(front);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> openReferences(v, front));
        }
    }

    /** Whether the model exists in a front end. */
    public final boolean isOpen() {
        return openIn != null;
    }

    /**
     * Shows the widget in the cell's output now (in plain jshell: prints its text form). A widget
     * that is a cell's value is shown too.
     */
    public final void show() {
        Widgets.frontEnd().show(this);
    }

    /** Removes the model (and its views) from the front end; the widget can be shown again later. */
    public void close() {
        FrontEnd front = openIn;
        openIn = null;
        if (front != null) {
            front.close(this);
        }
    }

    /** The widget as text, e.g. {@code IntSlider "batch" = 8}. */
    @Override
    public String toString() {
        String name = modelName().replaceFirst("Model$", "");
        Object description = get("description");
        Object value = get("value");
        return name + (description instanceof String d && !d.isEmpty() ? " \"" + d + "\"" : "")
                + (state.containsKey("value") ? " = " + value : "");
    }
}
