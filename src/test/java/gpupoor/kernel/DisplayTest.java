package gpupoor.kernel;

import gpupoor.view.TableView;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DisplayTest {
    @Test
    void outsideAKernelDisplayPrintsTheTextForm() {
        Table t = Table.create("t", IntColumn.create("x", 1));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Display.display(t);
            Display.display(7, "text/html");
            Display.page("paged");
            Display.print(gpupoor.dsl.Dsl.model("7B"));
            Display.clearOutput();
        } finally {
            System.setOut(original);
        }
        String nl = System.lineSeparator();
        assertEquals(TableView.text(t) + nl + "7" + nl + "paged" + nl + gpupoor.dsl.Dsl.model("7B").toText() + nl,
                out.toString(StandardCharsets.UTF_8));
    }
}
