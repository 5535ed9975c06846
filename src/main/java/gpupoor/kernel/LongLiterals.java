package gpupoor.kernel;

/**
 * Makes string literals longer than a class file allows work in a cell. A class file stores a
 * string constant in at most 65,535 bytes (modified UTF-8), so javac rejects a longer literal
 * ("constant string too long"), and JShell then keeps the failed declaration, which breaks every
 * later snippet. Here each literal whose text could exceed that limit (more than
 * {@value #MAX_CHARS} characters; a character takes at most 3 bytes) becomes
 * {@code java.lang.String.join("", "part", "part", ...)} of shorter literals: the same string, built
 * when the snippet runs. Text blocks are first turned into the string they denote. Comments,
 * character literals and short strings are left as they are.
 */
final class LongLiterals {
    /** Longest literal text left as it is: 21,000 characters take at most 63,000 bytes. */
    static final int MAX_CHARS = 21_000;
    /** Source characters per part (at most 3 bytes each, well under the limit). */
    static final int PART = 8_000;

    private LongLiterals() {
    }

    /** The source with its over-long string literals split; the source itself when it has none. */
    static String rewrite(String source) {
        if (source.length() <= MAX_CHARS) {
            return source;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'') {
                i = skipQuoted(source, i, '\'');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = textBlockEnd(source, i);
                if (end < 0) {
                    return source; // unterminated: javac will say so
                }
                if (end - i > MAX_CHARS) {
                    String value = textBlockValue(source.substring(i + 3, end - 3));
                    if (value != null) {
                        out = append(out, source, copied, i).append(join(escape(value)));
                        copied = end;
                    }
                }
                i = end;
            } else if (c == '"') {
                int end = skipQuoted(source, i, '"');
                if (end - i - 2 > MAX_CHARS) {
                    out = append(out, source, copied, i).append(join(source.substring(i + 1, end - 1)));
                    copied = end;
                }
                i = end;
            } else {
                i++;
            }
        }
        return out == null ? source : out.append(source, copied, n).toString();
    }

    private static StringBuilder append(StringBuilder out, String source, int from, int to) {
        StringBuilder sb = out == null ? new StringBuilder(source.length() + 64) : out;
        return sb.append(source, from, to);
    }

    /** The index after a quoted literal that starts at {@code start} (or the end of the line). */
    private static int skipQuoted(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else if (c == '\n') {
                return i;
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** The index after the closing {@code """} of a text block opening at {@code start}, or -1. */
    private static int textBlockEnd(String s, int start) {
        int i = start + 3;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (s.startsWith("\"\"\"", i)) {
                return i + 3;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** What a text block's content (between the delimiters) denotes, as javac computes it; null if unsure. */
    static String textBlockValue(String content) {
        int firstLine = content.indexOf('\n');
        if (firstLine < 0 || !content.substring(0, firstLine).isBlank()) {
            return null;
        }
        try {
            String lines = content.substring(firstLine + 1).replace("\r\n", "\n").replace('\r', '\n');
            return lines.stripIndent().translateEscapes();
        } catch (IllegalArgumentException e) {
            return null; // e.g. a unicode escape, which javac reads before the block: leave it to javac
        }
    }

    /** A string as the body of a Java literal (control characters as octal escapes). */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** {@code java.lang.String.join("", "…", "…")} of a literal body cut between escapes and surrogate pairs. */
    static String join(String body) {
        StringBuilder sb = new StringBuilder(body.length() + body.length() / PART * 8 + 32);
        sb.append("java.lang.String.join(\"\"");
        int start = 0;
        int i = 0;
        while (i < body.length()) {
            int next = i + tokenLength(body, i);
            if (next - start > PART) {
                sb.append(", \"").append(body, start, i).append('"');
                start = i;
            }
            i = next;
        }
        sb.append(", \"").append(body, start, body.length()).append("\")");
        return sb.toString();
    }

    /** The length of the character or escape sequence at {@code i} of a literal body. */
    private static int tokenLength(String body, int i) {
        char c = body.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1))) {
            return 2;
        }
        if (c != '\\' || i + 1 >= body.length()) {
            return 1;
        }
        char e = body.charAt(i + 1);
        if (e == 'u') {
            int j = i + 1;
            while (j < body.length() && body.charAt(j) == 'u') {
                j++;
            }
            return Math.min(body.length(), j + 4) - i;
        }
        if (e >= '0' && e <= '7') {
            int max = e <= '3' ? 3 : 2;
            int j = i + 1;
            while (j < body.length() && j - i - 1 < max && body.charAt(j) >= '0' && body.charAt(j) <= '7') {
                j++;
            }
            return j - i;
        }
        return 2;
    }
}
