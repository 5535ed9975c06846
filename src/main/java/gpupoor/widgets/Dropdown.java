package gpupoor.widgets;

import java.util.List;

/**
 * A drop-down list of options ({@code DropdownModel}).
 * <pre>{@code
 * Dropdown quant = new Dropdown("quant", List.of("fp16", "q8_0", "q4_k_m"), "q4_k_m");
 * quant.onChange(q -> System.out.println(q));
 * quant.show();
 * }</pre>
 */
public final class Dropdown extends Selection {
    /**
     * A drop-down with the given options and selected value (null: the first).
     *
     * @throws IllegalArgumentException if there are no options or the value is not one of them
     */
    public Dropdown(String description, List<String> options, String value) {
        super("DropdownModel", "DropdownView", new Style("DescriptionStyleModel"), description, options, value);
    }
}
