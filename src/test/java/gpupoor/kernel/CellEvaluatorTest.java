package gpupoor.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellEvaluatorTest {
    private static CellEvaluator cells;

    @BeforeAll
    static void start() {
        cells = CellEvaluator.start();
        assertEquals(List.of(), cells.runScript("import tech.tablesaw.api.*;", "test prelude"));
    }

    @AfterAll
    static void stop() {
        cells.close();
    }

    @Test
    void valuesAreTheRealObjectsOfTheLastExpression() {
        CellResult r = cells.eval("Table t1 = Table.create(\"t1\");\nt1", "cell [1]");
        assertTrue(r.hasValue());
        Table t = assertInstanceOf(Table.class, r.value());
        assertEquals("t1", t.name());
        assertSame(t, cells.eval("t1", "cell [2]").value());
    }

    @Test
    void declarationsAndStatementsHaveNoValueButNullIsOne() {
        assertFalse(cells.eval("int declared = 3;", "c").hasValue());
        assertFalse(cells.eval("1 + 1; int after = 2;", "c").hasValue());
        CellResult nothing = cells.eval("String none = null; none", "c");
        assertTrue(nothing.hasValue());
        assertNull(nothing.value());
    }

    @Test
    void compileErrorNamesTheCellLineAndMarksTheSpan() {
        CellError e = assertThrows(CellError.class, () -> cells.eval("int ok1 = 1;\n  int bad = \"text\";", "cell [7]"));
        assertEquals("CompileError", e.name());
        assertEquals("incompatible types: java.lang.String cannot be converted to int", e.getMessage());
        assertEquals(List.of("CompileError: incompatible types: java.lang.String cannot be converted to int",
                "cell [7], line 2:", "    " + "  int bad = \"text\";", "    " + " ".repeat(12) + "^~~~~~"), e.traceback());
        assertEquals(1, cells.eval("ok1", "c").value());
    }

    @Test
    void runtimeErrorKeepsTheExceptionAndMapsFramesToCells() {
        cells.eval("void thrower() {\n  throw new IllegalArgumentException(\"bad size\");\n}", "cell [3]");
        CellError e = assertThrows(CellError.class, () -> cells.eval("int zz = 0;\nthrower();", "cell [4]"));
        assertEquals("IllegalArgumentException", e.name());
        assertEquals("bad size", e.getMessage());
        assertEquals(List.of("java.lang.IllegalArgumentException: bad size", "    at thrower (cell [3], line 2)",
                "    at cell [4], line 2"), e.traceback());
    }

    @Test
    void incompleteCellRunsNothing() {
        CellError e = assertThrows(CellError.class, () -> cells.eval("int notRun = 5;\nfor (int i = 0; i < 2; i++) {", "c"));
        assertEquals("IncompleteCode", e.name());
        assertThrows(CellError.class, () -> cells.eval("notRun", "c"));
    }

    @Test
    void completionWorksOnTheSnippetUnderTheCursor() {
        cells.eval("String word = \"w\";", "c");
        String code = "int n = 1;\nword.toUpp";
        CellEvaluator.Completion c = cells.complete(code, code.length());
        assertEquals(List.of("toUpperCase("), c.matches());
        assertEquals(code.length() - "toUpp".length(), c.start());
        assertEquals(code.length(), c.end());
    }

    @Test
    void anExpressionsValueIsNotKeptAfterItsCell() {
        CellResult r = cells.eval("new byte[8 << 20]", "cell [8]");
        java.lang.ref.WeakReference<Object> value = new java.lang.ref.WeakReference<>(r.value());
        r = null;
        for (int i = 0; i < 10 && value.get() != null; i++) {
            System.gc();
        }
        assertTrue(value.get() == null, "the value of an expression cell is still reachable after the cell (JShell's $n variable)");
        assertEquals(42, cells.eval("int kept = 42;\nkept", "cell [9]").value()); // declared variables stay
        assertEquals(43, cells.eval("kept + 1", "cell [10]").value());
    }

    @Test
    void documentationGivesSignatures() {
        List<CellEvaluator.Documentation> docs = cells.documentation("Math.abs(", 9);
        assertTrue(docs.stream().anyMatch(d -> d.signature().equals("int Math.abs(int a)")), docs.toString());
        assertEquals(docs, cells.documentation("Math.abs", 6));
        assertEquals(List.of(), cells.documentation("noSuchThing", 5));
    }

    @Test
    void isCompleteAnswersWithIndentation() {
        assertEquals("complete", cells.isComplete("int a = 1;\nint b = 2;"));
        assertEquals("    ", cells.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", cells.isComplete("String s = \"open"));
    }

    @Test
    void startupScriptReportsFailuresAndRunsTheRest() {
        List<String> problems = cells.runScript("int good1 = 1;\nint broken = ;\nint good2 = 2;", "script.jsh");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("script.jsh line 2: CompileError"), problems.get(0));
        assertEquals(2, cells.eval("good1 + 1", "c").value());
        assertEquals(2, cells.eval("good2", "c").value());
    }
}
