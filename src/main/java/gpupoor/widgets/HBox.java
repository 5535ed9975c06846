package gpupoor.widgets;

/**
 * Widgets side by side ({@code HBoxModel}).
 * <pre>{@code
 * new HBox(new IntSlider("batch", 1, 64, 8), new Checkbox("flash attention", true)).show();
 * }</pre>
 */
public final class HBox extends Box {
    /** A row of the given widgets. */
    public HBox(Widget... children) {
        super("HBoxModel", "HBoxView", children);
    }
}
