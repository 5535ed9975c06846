package gpupoor.calc;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Name matching for user-typed ids: case-insensitive lookup, did-you-mean suggestions, and echoing them safely. */
public final class Names {
    private Names() {
    }

    /**
     * The closest candidates to {@code typed}, best first: exact case-insensitive matches, then
     * names containing every word of the query, then by edit distance.
     */
    public static List<String> closest(String typed, Collection<String> candidates, int limit) {
        String q = typed == null ? "" : typed.toLowerCase(Locale.ROOT).trim();
        String[] words = q.split("[\\s/_\\-.]+");
        return candidates.stream()
                .map(c -> new Scored(c, score(q, words, c.toLowerCase(Locale.ROOT))))
                .filter(s -> s.score < Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(Scored::score).thenComparing(s -> s.name.length())
                        .thenComparing(Scored::name))
                .limit(limit)
                .map(Scored::name)
                .toList();
    }

    /** A "; did you mean: a, b, c?" suffix for an error message, or an empty string. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        List<String> best = closest(typed, candidates, 5);
        return best.isEmpty() ? "" : "; did you mean: " + String.join(", ", best) + "?";
    }

    private record Scored(String name, int score) {
    }

    private static int score(String q, String[] words, String c) {
        if (c.equals(q)) {
            return 0;
        }
        boolean all = q.length() > 0;
        for (String w : words) {
            if (!w.isEmpty() && !c.contains(w)) {
                all = false;
                break;
            }
        }
        if (all) {
            return 1 + (c.length() - q.length()) / 8;
        }
        int d = distance(q, c);
        int tolerance = Math.max(2, q.length() / 3);
        // also compare against the part after the last '/' (HF ids): "llama-2-7b" vs "meta-llama/Llama-2-7b-hf"
        int slash = c.lastIndexOf('/');
        if (slash >= 0) {
            d = Math.min(d, distance(q, c.substring(slash + 1)));
        }
        return d <= tolerance ? 100 + d : Integer.MAX_VALUE;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * {@code text} made safe to echo (in a message, a terminal, a CSV cell): control characters, DEL,
     * the C1 controls and the invisible formatting characters (bidirectional overrides, zero-width
     * characters) written as escapes (backslash-n, -t and -r, and backslash-u with four hex digits), so
     * input cannot move the cursor, recolour the screen or disguise itself; null stays null.
     */
    public static String printable(String text) {
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
