package gpupoor.cli;

/**
 * Text the command line echoes back (messages quoting what the user typed, cells of a file) made
 * safe for a terminal: control characters, DEL, the C1 controls and the invisible formatting
 * characters (bidirectional overrides, zero-width characters) are written as escapes
 * ({@code \n}, {@code \t}, {@code \r}, {@code \u001b}), so input cannot move the cursor, recolour
 * the screen or disguise itself.
 */
final class Terminal {
    private Terminal() {
    }

    /** {@code text} with every control or formatting character escaped; null stays null. */
    static String printable(String text) {
        if (text == null || safe(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!unsafe(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    /** Whether nothing in {@code text} needs escaping (printable ASCII needs no look-up). */
    private static boolean safe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 || c > 0x7e) && unsafe(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
