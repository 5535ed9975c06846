package gpupoor.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongLiteralsTest {
    /** The literal bodies of a rewritten {@code String.join("", ...)} call, in order. */
    private static List<String> parts(String join) {
        List<String> parts = new ArrayList<>();
        int i = join.indexOf('"');
        while (i >= 0) {
            int j = i + 1;
            while (join.charAt(j) != '"') {
                j += join.charAt(j) == '\\' ? 2 : 1;
            }
            parts.add(join.substring(i + 1, j));
            i = join.indexOf('"', j + 1);
        }
        return parts.subList(1, parts.size()); // the first is the "" separator
    }

    @Test
    void shortCodeAndShortLiteralsAreLeftAsTheyAre() {
        String code = "String s = \"" + "x".repeat(100) + "\"; // " + "y".repeat(30_000);
        assertSame(code, LongLiterals.rewrite(code));
    }

    @Test
    void aLongLiteralIsSplitBetweenEscapesIntoTheSameString() {
        String body = "ab\\n\\t\\\"\\\\\\101\\0x".repeat(9_000); // 19 source chars: escapes of every kind
        String code = "String s = \"" + body + "\";";
        String rewritten = LongLiterals.rewrite(code);
        assertTrue(rewritten.startsWith("String s = java.lang.String.join(\"\", \""), rewritten.substring(0, 60));
        assertTrue(rewritten.endsWith("\");"));
        List<String> parts = parts(rewritten.substring("String s = ".length()));
        assertTrue(parts.size() > 1);
        StringBuilder value = new StringBuilder();
        for (String p : parts) {
            assertTrue(p.length() <= LongLiterals.PART, "part of " + p.length());
            value.append(p.translateEscapes()); // each part is a valid literal body on its own
        }
        assertEquals(body.translateEscapes(), value.toString());
    }

    @Test
    void commentsAndCharLiteralsDoNotStartAString() {
        String big = "z".repeat(30_000);
        String code = "char q = '\"'; /* \" */ // \"\nString s = \"" + big + "\";";
        String rewritten = LongLiterals.rewrite(code);
        assertTrue(rewritten.startsWith("char q = '\"'; /* \" */ // \"\nString s = java.lang.String.join("), rewritten.substring(0, 80));
    }

    @Test
    void aLongTextBlockBecomesTheStringItDenotes() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            lines.append("        line ").append(i).append(" \"q\" \\t\n");
        }
        String content = "\n" + lines + "        ";
        String value = LongLiterals.textBlockValue(content);
        assertTrue(value.startsWith("line 0 \"q\" \t\nline 1 \"q\" \t\n"), value.substring(0, 40));
        String rewritten = LongLiterals.rewrite("String b = \"\"\"" + content + "\"\"\";");
        StringBuilder joined = new StringBuilder();
        parts(rewritten).forEach(p -> joined.append(p.translateEscapes()));
        assertEquals(value, joined.toString());
    }
}
