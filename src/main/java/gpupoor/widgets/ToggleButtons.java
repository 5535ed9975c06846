package gpupoor.widgets;

import java.util.List;

/**
 * A row of buttons of which one is pressed ({@code ToggleButtonsModel}).
 * <pre>{@code
 * ToggleButtons runtime = new ToggleButtons("runtime", List.of("hf", "vllm", "llama.cpp"), "vllm");
 * runtime.show();
 * }</pre>
 */
public final class ToggleButtons extends Selection {
    /**
     * Buttons with the given options and pressed value (null: the first).
     *
     * @throws IllegalArgumentException if there are no options or the value is not one of them
     */
    public ToggleButtons(String description, List<String> options, String value) {
        super("ToggleButtonsModel", "ToggleButtonsView",
                new Style("ToggleButtonsStyleModel", "button_width", "", "font_weight", ""), description, options, value);
        define("button_style", "");
        define("icons", List.of());
        define("tooltips", List.of());
    }
}
