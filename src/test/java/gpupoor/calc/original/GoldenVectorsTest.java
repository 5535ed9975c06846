package gpupoor.calc.original;

import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.SeedFormat;

import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.args.ScenarioArgs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
            e = Methods.GPU_POOR.estimate(ScenarioArgs.fromColumns(row).builder(Catalog.get()).build());
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
        Map<String, String> actual = SeedFormat.columns(e);
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
}
