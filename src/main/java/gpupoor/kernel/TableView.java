package gpupoor.kernel;

import tech.tablesaw.api.Table;

/**
 * A tablesaw {@link Table} as notebook output: an HTML {@code <table>} (cells escaped, formatted as
 * the columns print them) and the table's own text print. Long tables show their first and last
 * rows, as tablesaw's printer does.
 */
final class TableView {
    /** Rows shown before a table is cut to its head and tail. */
    static final int MAX_ROWS = 60;

    private TableView() {
    }

    /** The table as HTML: a caption (name, size when cut), the header, the rows. */
    static String html(Table table) {
        int rows = table.rowCount();
        int columns = table.columnCount();
        StringBuilder sb = new StringBuilder(256 + rows * columns * 16);
        sb.append("<table class=\"gpupoor-table\">\n");
        String name = table.name() == null ? "" : table.name().strip();
        if (!name.isEmpty() || rows > MAX_ROWS) {
            sb.append("<caption style=\"white-space:nowrap;text-align:left\">").append(Html.escape(name));
            if (rows > MAX_ROWS) {
                sb.append(name.isEmpty() ? "" : " · ").append(MAX_ROWS).append(" of ").append(rows).append(" rows");
            }
            sb.append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (int c = 0; c < columns; c++) {
            sb.append("<th>").append(Html.escape(table.column(c).name())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        if (rows <= MAX_ROWS) {
            appendRows(sb, table, 0, rows);
        } else {
            int head = MAX_ROWS / 2;
            appendRows(sb, table, 0, head);
            sb.append("<tr><td colspan=\"").append(columns).append("\">… ")
                    .append(rows - MAX_ROWS).append(" more rows …</td></tr>\n");
            appendRows(sb, table, rows - (MAX_ROWS - head), rows);
        }
        sb.append("</tbody>\n</table>");
        return sb.toString();
    }

    /** The table as tablesaw prints it (head and tail of long tables). */
    static String text(Table table) {
        return table.rowCount() <= MAX_ROWS ? table.printAll() : table.print(MAX_ROWS);
    }

    private static void appendRows(StringBuilder sb, Table table, int from, int to) {
        int columns = table.columnCount();
        for (int r = from; r < to; r++) {
            sb.append("<tr>");
            for (int c = 0; c < columns; c++) {
                sb.append("<td>").append(Html.escape(table.column(c).getString(r))).append("</td>");
            }
            sb.append("</tr>\n");
        }
    }
}
