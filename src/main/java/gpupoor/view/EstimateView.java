package gpupoor.view;

import gpupoor.calc.Estimate;
import gpupoor.calc.SeedFormat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An engine {@link Estimate} as notebook output: its memory, speed and training parts (the values
 * and rounding of {@link SeedFormat}), the GPUs needed and the notes, as an HTML table and as text.
 */
public final class EstimateView {
    private EstimateView() {
    }

    /** The estimate as an HTML table, one section per part, followed by its notes. */
    public static String html(Estimate e) {
        StringBuilder sb = new StringBuilder("<table class=\"gpupoor-estimate\">\n<caption>Estimate (")
                .append(Html.escape(e.method())).append(")</caption>\n<tbody>\n");
        sections(e).forEach((title, values) -> {
            sb.append("<tr><th colspan=\"2\" style=\"text-align:left\">").append(Html.escape(title)).append("</th></tr>\n");
            values.forEach((k, v) -> sb.append("<tr><td style=\"text-align:left\">").append(Html.escape(k))
                    .append("</td><td>").append(Html.escape(text(v))).append("</td></tr>\n"));
        });
        if (e.gpusNeeded() != null) {
            sb.append("<tr><th style=\"text-align:left\">GPUs needed</th><td>").append(e.gpusNeeded()).append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>");
        if (!e.notes().isEmpty()) {
            sb.append("\n<ul>");
            e.notes().forEach(n -> sb.append("<li>").append(Html.escape(n)).append("</li>"));
            sb.append("</ul>");
        }
        return sb.toString();
    }

    /** The estimate as aligned text lines. */
    public static String text(Estimate e) {
        StringBuilder sb = new StringBuilder("Estimate (").append(e.method()).append(")\n");
        sections(e).forEach((title, values) -> {
            sb.append(title).append('\n');
            values.forEach((k, v) -> sb.append(String.format("  %-40s %s%n", k, text(v))));
        });
        if (e.gpusNeeded() != null) {
            sb.append("GPUs needed: ").append(e.gpusNeeded()).append('\n');
        }
        e.notes().forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString().stripTrailing();
    }

    /** Title of each part present, with its key/value pairs. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> sections(Estimate e) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        SeedFormat.of(e).forEach((key, part) -> out.put(switch (key) {
            case SeedFormat.MEMORY -> "Memory (MiB)";
            case SeedFormat.SPEED -> "Speed";
            case SeedFormat.TRAINING -> "Training";
            default -> key;
        }, (Map<String, Object>) part));
        return out;
    }

    private static String text(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }
}
