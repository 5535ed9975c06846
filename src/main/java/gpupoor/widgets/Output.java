package gpupoor.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An output area ({@code OutputModel} of {@code @jupyter-widgets/output}): shows values as a cell
 * would (tables, charts, text) and can be cleared and redrawn, e.g. from a slider's callback.
 * <pre>{@code
 * Output chart = new Output();
 * slider.onChange(v -> chart.replace(plotFor(v)));
 * new VBox(slider, chart).show();
 * }</pre>
 */
public final class Output extends DomWidget {
    /** An empty output area. */
    public Output() {
        super(OUTPUT, OUTPUT_VERSION, "OutputModel", "OutputView");
        define("msg_id", "");
        define("outputs", List.of());
    }

    /** The outputs shown, as Jupyter output dicts. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> outputs() {
        return (List<Map<String, Object>>) get("outputs");
    }

    /**
     * Empties the area.
     *
     * @return this area
     */
    public Output clear() {
        set("outputs", List.of());
        return this;
    }

    /**
     * Shows these values instead of what was there.
     *
     * @return this area
     */
    public Output replace(Object... values) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object v : values) {
            all.add(displayData(v));
        }
        set("outputs", List.copyOf(all));
        return this;
    }

    /**
     * Adds a value after what is there.
     *
     * @return this area
     */
    public Output append(Object value) {
        List<Map<String, Object>> all = new ArrayList<>(outputs());
        all.add(displayData(value));
        set("outputs", List.copyOf(all));
        return this;
    }

    private static Map<String, Object> displayData(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("output_type", "display_data");
        out.put("data", Widgets.frontEnd().mimeBundle(value));
        out.put("metadata", Map.of());
        return out;
    }

    @Override
    Object fromJson(String property, Object json) {
        return json; // the front end sends outputs it captured (msg_id capture); kept as they are
    }

    @Override
    public String toString() {
        if (outputs().isEmpty()) {
            return "Output()";
        }
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> o : outputs()) {
            Object data = o.get("data");
            Object text = data instanceof Map<?, ?> m ? m.get("text/plain") : o.get("text");
            sb.append(sb.length() == 0 ? "" : "\n").append(text);
        }
        return sb.toString();
    }
}
