package gpupoor.view;

import tech.tablesaw.api.Table;

/**
 * A tablesaw {@link Table} as notebook output: an HTML {@code <table>} (cells escaped, formatted as
 * the columns print them) and the table's own text print. Long tables show their first and last
 * rows, as tablesaw's printer does.
 */
public final class TableView {
    /** Rows shown before a table is cut to its head and tail. */
    public static final int MAX_ROWS = 60;

    private TableView() {
    }

    /** The table as HTML: a caption (name, size when cut), the header, the rows. */
    public static String html(Table table) {
        return Html.table(table, MAX_ROWS);
    }

    /** The table as tablesaw prints it (head and tail of long tables). */
    public static String text(Table table) {
        return table.rowCount() <= MAX_ROWS ? table.printAll() : table.print(MAX_ROWS);
    }
}
