package gpupoor.view;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableViewTest {
    @Test
    void escapesNamesHeadersAndCells() {
        Table t = Table.create("a<b & c", StringColumn.create("x\"y", "<script>alert('x')</script>"),
                DoubleColumn.create("n", 1.5));
        String html = TableView.html(t);
        assertTrue(html.contains(">a&lt;b &amp; c</caption>"), html);
        assertTrue(html.contains("<th>x&quot;y</th><th>n</th>"), html);
        assertTrue(html.contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td><td>1.5</td>"), html);
        assertFalse(html.contains("<script>"));
    }

    @Test
    void cellsAreFormattedAsTheColumnPrintsThem() {
        Table t = Table.create("t", DoubleColumn.create("d", 2.0, Double.NaN));
        String html = TableView.html(t);
        assertTrue(html.contains("<td>" + t.column(0).getString(0) + "</td>"));
        assertTrue(html.contains("<td>" + t.column(0).getString(1) + "</td>"));
    }

    @Test
    void longTablesShowHeadAndTail() {
        Table t = Table.create("big", IntColumn.create("i", IntStream.range(0, 500).toArray()));
        String html = TableView.html(t);
        assertTrue(html.contains("big · 60 of 500 rows"), html);
        assertTrue(html.contains("… 440 more rows …"));
        assertEquals(1 + TableView.MAX_ROWS + 1, html.split("<tr>", -1).length - 1);
        assertTrue(html.contains("<td>29</td>") && !html.contains("<td>30</td>") && html.contains("<td>470</td>")
                && !html.contains("<td>469</td>") && html.contains("<td>499</td>"));
        assertEquals(t.print(TableView.MAX_ROWS), TableView.text(t));
    }

    @Test
    void shortTablesPrintEveryRowAndHaveNoCaptionWithoutName() {
        Table t = Table.create(IntColumn.create("i", 1, 2, 3));
        assertFalse(TableView.html(t).contains("<caption"));
        assertEquals(t.printAll(), TableView.text(t));
    }
}
