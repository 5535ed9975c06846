package gpupoor.view;

/**
 * A view: a result that knows how to show itself: as HTML in a notebook (the kernel publishes it as
 * {@code text/html}) and as plain text in {@code jshell} ({@code text/plain}). DSL results build
 * their HTML with {@link Html} (charts through {@link ChartImage}); the kernel only adapts views to
 * MIME bundles. Example: {@code Html.row(Html.table(table, 20), Html.image(chart))} as a
 * {@code toHtml()}.
 */
public interface Displayable {
    /** An HTML fragment for notebooks (tables, headings; a chart may be embedded as a PNG data URI). */
    String toHtml();

    /** A readable plain-text rendering for jshell and {@code text/plain}. */
    String toText();
}
