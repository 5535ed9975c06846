package gpupoor.widgets;

/**
 * Widgets stacked ({@code VBoxModel}).
 * <pre>{@code
 * new VBox(new IntSlider("batch", 1, 64, 8), new Output()).show();
 * }</pre>
 */
public final class VBox extends Box {
    /** A column of the given widgets. */
    public VBox(Widget... children) {
        super("VBoxModel", "VBoxView", children);
    }
}
