package gpupoor.calc.original;

import gpupoor.calc.Quant;
import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.SeedFormat;

import gpupoor.catalog.Catalog;
import gpupoor.catalog.Csv;
import gpupoor.args.ScenarioArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test against the original gpu_poor calculator. Each row of
 * {@code src/test/resources/gpupoor/original-vectors.csv} is a random scenario (inputs as the CLI
 * and {@code estimate --csv} take them) with the outputs that the original's own JavaScript
 * ({@code src/App.js} at {@code ad2fc0e}: its memory button and its token/s button, evaluated
 * over its own tables) gave for it. The rows span every quantization, framework, mode, method,
 * optimizer, GPU and CPU (with the DDR types they support), model families of the original's table
 * and size-only models; they were picked to cover each branch at least twice, plus 50 rows with
 * prompt and generation lengths up to 2^31 - 1. The original ignores a size when the model is in its
 * table (docs/gpu_poor-reference.md §3, "Size (in Billion)"), so rows that name a model leave the
 * size blank (our command line refuses both at once).
 *
 * <p>Output cells are compared as text, exactly as the original shows them (its ceilings,
 * {@code toFixed(2)}, {@code Math.round} and "&lt; 1"); a blank cell is one the original did not
 * show. {@code rejected} says which of the original's buttons gave no result: blank (none),
 * {@code memory}, {@code speed} (token/s or training time) or {@code all}. Where one button
 * fails our estimate leaves that part out and says why in a note starting with the part's name.
 */
public class OriginalVectorsTest {

    /** The output columns, in the file's order. */
    static final List<String> OUTPUTS = List.of("total_mib", "kv_mib", "model_mib", "activation_mib",
            "grad_opt_mib", "overhead_mib", "tok_s", "ms_per_token", "prompt_s", "bound", "ms_per_iter", "gpus_needed");

    static List<Map<String, String>> vectors() {
        return Csv.read(OriginalVectorsTest.class.getResourceAsStream("/gpupoor/original-vectors.csv"),
                "original-vectors.csv");
    }

    static Stream<Arguments> rows() {
        return vectors().stream().map(r -> Arguments.of(r.get("case"), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reproducesTheOriginal(String name, Map<String, String> vector) {
        String rejected = vector.get("rejected");
        Map<String, String> row = vector;
        if (!inferenceOnly(vector).equals(vector)) {
            // the original reads its fine-tuning dropdowns in inference only for qlora (reference §11, 26):
            // we refuse the others as inapplicable, and give the original's numbers without them
            InvalidScenarioException refused = assertThrows(InvalidScenarioException.class, () -> Methods.GPU_POOR
                    .estimate(ScenarioArgs.fromColumns(vector).builder(Catalog.get()).build()));
            assertTrue(refused.in(ScenarioArgs.STYLE).getMessage().contains("applies to fine-tuning: give --mode training"),
                    refused.getMessage());
            row = inferenceOnly(vector);
        }
        Estimate e;
        try {
            e = Methods.GPU_POOR.estimate(ScenarioArgs.fromColumns(row).builder(Catalog.get()).build());
        } catch (InvalidScenarioException ex) {
            assertEquals("all", rejected, () -> "we reject what the original computes: " + ex.getMessage());
            assertFalse(ex.getMessage().isBlank(), "a rejection says why");
            return;
        }
        assertNotEquals("all", rejected, () -> "the original rejects this scenario, we gave " + SeedFormat.columns(e));
        Map<String, String> actual = SeedFormat.columns(e);
        for (String column : OUTPUTS) {
            assertEquals(row.get(column), actual.getOrDefault(column, ""), () -> column + "; notes: " + e.notes());
        }
        assertEquals(rejected.equals("memory"), hasNote(e, "memory: "), () -> "memory note; notes: " + e.notes());
        assertEquals(rejected.equals("speed"), hasNote(e, "speed: "), () -> "speed note; notes: " + e.notes());
    }

    @Test
    void theVectorsCoverEveryQuantModeDeviceAndOutcome() {
        List<Map<String, String>> rows = vectors();
        assertTrue(rows.size() >= 1000, "rows: " + rows.size());
        for (Quant q : GpuPoorMethod.supportedQuants()) {
            assertTrue(rows.stream().anyMatch(r -> !r.get("total_mib").isEmpty()
                    && Quant.parse(r.get("quant")) == q), "no memory result with " + q);
        }
        for (String outcome : List.of("", "memory", "speed", "all")) {
            assertTrue(rows.stream().filter(r -> r.get("rejected").equals(outcome)).count() >= 20, "outcome " + outcome);
        }
        for (String column : List.of("tok_s", "ms_per_iter")) {
            assertTrue(rows.stream().filter(r -> !r.get(column).isEmpty()).count() >= 100, column);
        }
        assertTrue(rows.stream().anyMatch(r -> r.get("tok_s").equals("< 1")), "a '< 1' token/s");
        assertTrue(rows.stream().anyMatch(r -> r.get("bound").equals("compute") && !r.get("tok_s").isEmpty()),
                "a compute-bound decode");
        assertTrue(rows.stream().anyMatch(r -> !r.get("size").isEmpty() && r.get("model").isEmpty()
                && !r.get("total_mib").isEmpty()), "a size-only model");
        for (String device : List.of("rtx-2060", "rtx-4080", "H100-PCIe", "3600x", "7950x", "3990X")) {
            assertTrue(rows.stream().anyMatch(r -> Catalog.get().hardware(r.get("device")).gpuPoor().key().equals(device)),
                    "device " + device);
        }
    }

    /**
     * A vector's row without what the original ignores in inference: the fine-tuning method (but
     * qlora, which it applies), the optimizer and gradient checkpointing. Training rows as they are.
     */
    public static Map<String, String> inferenceOnly(Map<String, String> row) {
        if ("training".equals(row.get("mode"))) {
            return row;
        }
        Map<String, String> out = new HashMap<>(row);
        if (!"qlora".equals(row.get("method"))) {
            out.put("method", "");
        }
        out.put("optimizer", "");
        out.put("grad_ckpt", "");
        return out;
    }

    private static boolean hasNote(Estimate e, String prefix) {
        return e.notes().stream().anyMatch(n -> n.startsWith(prefix));
    }

}
