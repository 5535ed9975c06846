package gpupoor.calc;

import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.catalog.ScenarioRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every golden vector of §10 of docs/gpu_poor-reference.md (transcribed into
 * src/test/resources/gpupoor/reference-s10-vectors.csv): the gpu-poor method must give the
 * original's numbers, rounded as the original rounds them. Blank expected cells are not checked;
 * {@code error} is a fragment of the expected error message (or of the note for a part the
 * original refuses).
 */
class GoldenVectorsTest {

    static List<Map<String, String>> vectors() {
        return Csv.read(GoldenVectorsTest.class.getResourceAsStream("/gpupoor/reference-s10-vectors.csv"),
                "reference-s10-vectors.csv");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void reproducesTheOriginal(String name, Map<String, String> row) {
        String error = row.get("error");
        Estimate e;
        try {
            e = Methods.GPU_POOR.estimate(ScenarioRequest.fromRow(row).resolve(Catalog.get()));
        } catch (InvalidScenarioException ex) {
            if (error.isEmpty()) {
                fail("unexpected rejection: " + ex.getMessage());
            }
            assertTrue(ex.getMessage().contains(error), () -> "message '" + ex.getMessage() + "' lacks '" + error + "'");
            return;
        }
        if (!error.isEmpty()) {
            assertTrue(e.notes().stream().anyMatch(n -> n.contains(error)),
                    () -> "expected a rejection or note containing '" + error + "', got notes " + e.notes());
        }
        Map<String, String> actual = flatten(e);
        for (String column : List.of("total_mib", "kv_mib", "model_mib", "activation_mib", "grad_opt_mib",
                "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter", "gpus_needed")) {
            String expected = row.get(column);
            if (!expected.isEmpty()) {
                assertNotNull(actual.get(column), () -> column + " missing; notes: " + e.notes());
                assertEquals(expected, actual.get(column), column);
            }
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return vectors().stream().map(r -> org.junit.jupiter.params.provider.Arguments.of(r.get("case"), r));
    }

    private static Map<String, String> flatten(Estimate e) {
        Map<String, String> out = new LinkedHashMap<>();
        if (e.memory() != null) {
            Map<String, Object> m = SeedFormat.memory(e);
            out.put("total_mib", text(m.get("Total")));
            out.put("kv_mib", text(m.get("KV Cache")));
            out.put("model_mib", text(m.get("Model Size")));
            out.put("activation_mib", text(m.get("Activation Memory")));
            out.put("grad_opt_mib", text(m.get("Grad & Optimizer memory")));
            out.put("overhead_mib", text(m.get("cuda + other overhead")));
        }
        if (e.speed() != null) {
            Map<String, Object> s = SeedFormat.speed(e);
            out.put("tok_s", text(s.get("Token per second")));
            out.put("ms_per_token", text(s.get("ms per token")));
            out.put("prompt_s", text(s.get("Prompt process time (s)")));
            out.put("bound", text(s.get("memory or compute bound?")));
        }
        if (e.training() != null) {
            Map<String, Object> t = SeedFormat.training(e);
            out.put("ms_per_iter", text(t.get("ms per iteration (forward + backward)")));
            out.put("bound", text(t.get("memory or compute bound?")));
        }
        if (e.gpusNeeded() != null) {
            out.put("gpus_needed", Integer.toString(e.gpusNeeded()));
        }
        return out;
    }

    private static String text(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }
}
