package gpupoor.kernel;

import gpupoor.view.Html;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Javadoc as plain text for inspection tooltips: inline tags ({@code {@code x}}, {@code {@link A#b}},
 * ...) become their text, HTML becomes line breaks and list dashes, entities are decoded. Block tags
 * ({@code @param}, {@code @return}, ...) stay as written, one per line.
 */
final class JavadocText {
    private static final Pattern INLINE = Pattern.compile("\\{@(\\w+)\\s*([^{}]*(?:\\{[^{}]*}[^{}]*)*)}");

    private JavadocText() {
    }

    /** The comment's text without markup. */
    static String plain(String javadoc) {
        if (javadoc == null) {
            return "";
        }
        Matcher m = INLINE.matcher(javadoc);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            // escaped, so that code such as Map<K, V> survives the removal of HTML tags below
            m.appendReplacement(sb, Matcher.quoteReplacement(
                    Html.escape(inline(m.group(1), m.group(2).strip())).replace("&#39;", "'")));
        }
        m.appendTail(sb);
        String text = sb.toString()
                .replaceAll("(?i)\\s*<p\\s*/?>\\s*", "\n\n")
                .replaceAll("(?i)<br\\s*/?>", "\n")
                .replaceAll("(?i)\\s*<li>\\s*", "\n- ")
                .replaceAll("(?i)</?pre>", "\n")
                .replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&")
                .replaceAll("\n{3,}", "\n\n");
        return text.strip();
    }

    private static String inline(String tag, String body) {
        return switch (tag) {
            case "link", "linkplain" -> {
                // {@link Type#member(args) label}: the label if given, else the reference as Type.member
                int space = body.indexOf(' ', body.indexOf(')') < 0 ? 0 : body.indexOf(')'));
                String label = space > 0 ? body.substring(space + 1).strip() : "";
                yield label.isEmpty() ? body.replaceFirst("^#", "").replace('#', '.') : label;
            }
            case "value" -> body.replaceFirst("^#", "").replace('#', '.');
            case "code", "literal" -> body;
            default -> body;
        };
    }
}
