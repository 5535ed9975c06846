package gpupoor.view;

import gpupoor.calc.NumberText;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The one HTML builder for notebook output: escaped text, tablesaw tables, charts as embedded PNG
 * images ({@link ChartImage}) and a row of parts that sits side by side when there is room and
 * wraps below when not.
 */
public final class Html {
    private Html() {
    }

    /** {@code text} with {@code & < > " '} escaped, so it shows as written (null gives ""). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A table as an HTML {@code <table>} with its name as caption, cells as the columns print
     * them; a table longer than {@code maxRows} shows its first and last rows around a
     * "… n more rows …" line, and its caption says "maxRows of n rows".
     */
    public static String table(Table t, int maxRows) {
        int n = t.rowCount();
        if (n <= maxRows) {
            return table(t, n, 0);
        }
        int head = (maxRows + 1) / 2;
        int tail = maxRows / 2;
        int[] rows = new int[head + tail];
        for (int j = 0; j < head; j++) {
            rows[j] = j;
        }
        for (int j = 0; j < tail; j++) {
            rows[head + j] = n - tail + j;
        }
        Table shown = t.rows(rows);
        String name = t.name() == null ? "" : t.name().strip();
        shown.setName((name.isEmpty() ? "" : name + " · ") + maxRows + " of " + n + " rows");
        return table(shown, head, n - head - tail);
    }

    /** All rows of {@code t}, with a "… {@code hidden} more rows …" line after the first {@code gapAfter}. */
    public static String table(Table t, int gapAfter, long hidden) {
        StringBuilder sb = new StringBuilder("<table class=\"gpupoor\">");
        if (t.name() != null && !t.name().isBlank()) {
            sb.append("<caption style=\"text-align:left\">").append(escape(t.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < t.rowCount(); r++) {
            if (r == gapAfter && hidden > 0) {
                sb.append("<tr><td colspan=\"").append(t.columnCount()).append("\" style=\"text-align:center\">… ")
                        .append(NumberText.grouped(hidden)).append(" more rows …</td></tr>");
            }
            appendRow(sb, t, r);
        }
        return sb.append("</tbody></table>").toString();
    }

    private static void appendRow(StringBuilder sb, Table t, int r) {
        sb.append("<tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<td>").append(escape(c.getString(r))).append("</td>");
        }
        sb.append("</tr>");
    }

    /** A chart as an {@code <img>} with an embedded PNG (what nbconvert, GitHub and every front end show). */
    public static String image(Chart<?, ?> chart) {
        String uri = ChartImage.dataUri(chart);
        return "<img style=\"max-width:100%\" alt=\"" + escape(chart.getTitle()) + "\" src=\"" + uri + "\"/>";
    }

    /**
     * HTML parts in a row that wraps (CSS flex-wrap): side by side when the output is wide enough,
     * one below the other when not. Example: {@code Html.row(Html.table(t, 20), Html.image(chart))}.
     */
    public static String row(String... parts) {
        StringBuilder sb = new StringBuilder("<div class=\"gpupoor-row\" style=\"display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start\">");
        for (String part : parts) {
            sb.append("<div style=\"min-width:0;max-width:100%\">").append(part).append("</div>");
        }
        return sb.append("</div>").toString();
    }
}
