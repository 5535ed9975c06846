package gpupoor.widgets;

/**
 * HTML shown as a widget ({@code HTMLModel}): text that code can change in place, e.g. a verdict
 * next to the controls that decide it.
 * <pre>{@code
 * HtmlText verdict = new HtmlText("<b>fits</b> on one RTX 4090");
 * verdict.show();
 * verdict.value("<b>does not fit</b>");
 * }</pre>
 */
public final class HtmlText extends Control {
    /** An HTML widget showing {@code html}. */
    public HtmlText(String html) {
        super("HTMLModel", "HTMLView", new Style("HTMLStyleModel", "background", null, "font_size", null,
                "text_color", null), "");
        define("placeholder", "\u200b");
        define("value", html == null ? "" : html);
    }

    /** The HTML shown. */
    public String value() {
        return (String) get("value");
    }

    /**
     * Replaces the HTML shown.
     *
     * @return this widget
     */
    public HtmlText value(String html) {
        set("value", html == null ? "" : html);
        return this;
    }
}
