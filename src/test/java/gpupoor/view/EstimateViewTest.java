package gpupoor.view;

import gpupoor.calc.Estimate;
import gpupoor.calc.Methods;
import gpupoor.calc.SeedFormat;
import gpupoor.catalog.Catalog;
import gpupoor.args.ScenarioArgs;
import gpupoor.view.Html;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EstimateViewTest {
    private static Estimate estimate(String method) {
        return Methods.parse(method).estimate(ScenarioArgs.parse(List.of("--model=meta-llama/Llama-2-7b-hf",
                "--prompt=500", "--gen=500", "--gpu=rtx-4090")).builder(Catalog.get()).build());
    }

    private static String text(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }

    @Test
    void everySeedValueAppearsInHtmlAndText() {
        for (String method : new String[] {"gpu-poor", "default"}) {
            Estimate e = estimate(method);
            String html = EstimateView.html(e);
            String plain = EstimateView.text(e);
            assertTrue(html.contains("<caption>Estimate (" + e.method() + ")</caption>"), html);
            for (Map.Entry<String, Object> part : SeedFormat.of(e).entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> values = (Map<String, Object>) part.getValue();
                values.forEach((k, v) -> {
                    assertTrue(html.contains(">" + Html.escape(k) + "</td><td>" + Html.escape(text(v)) + "</td>"), k + " in " + html);
                    assertTrue(plain.matches("(?s).*\\n  " + java.util.regex.Pattern.quote(k) + " +"
                            + java.util.regex.Pattern.quote(text(v)) + "\\n.*|(?s).*\\n  "
                            + java.util.regex.Pattern.quote(k) + " +" + java.util.regex.Pattern.quote(text(v)) + "$"), k + " in " + plain);
                });
            }
            assertTrue(html.contains("Memory (MiB)") && html.contains("Speed"));
            if (e.gpusNeeded() != null) {
                assertTrue(html.contains("GPUs needed</th><td>" + e.gpusNeeded()) && plain.contains("GPUs needed: " + e.gpusNeeded()));
            }
            for (String note : e.notes()) {
                assertTrue(html.contains("<li>" + Html.escape(note) + "</li>") && plain.contains("note: " + note));
            }
        }
    }
}
