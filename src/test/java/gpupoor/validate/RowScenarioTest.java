package gpupoor.validate;

import gpupoor.calc.Parallelism;
import gpupoor.calc.Framework;
import gpupoor.calc.Mode;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows of the bundled file and of hand-made files turned into scenarios, or refused with a reason. */
class RowScenarioTest {
    private static final MeasuredData BUNDLED = MeasuredData.bundled();

    /** A bundled row. */
    private static Measurement bundled(String id) {
        return BUNDLED.rows().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private static RowScenario scenario(Measurement m) {
        return RowScenario.of(m, Catalog.get());
    }

    private static RowProblem problem(Measurement m) {
        return assertThrows(RowProblem.class, () -> RowScenario.of(m, Catalog.get()));
    }

    @Test
    void llamaBenchGenerationRow() {
        // id 1: Meta-Llama-3-8B Q4_K_M, llama-bench tg512 (prompt 0, gen 512) on one RTX 3070, 72.79 tok/s
        RowScenario rs = scenario(bundled("1"));
        Scenario s = rs.scenario();
        assertEquals(Metric.DECODE_TOK_S, rs.metric());
        assertEquals(72.79, rs.measured());
        assertEquals("meta-llama/Meta-Llama-3-8B", s.model().id());
        assertEquals("rtx-3070", s.device().id());
        assertEquals(1, s.deviceCount());
        assertEquals(Framework.LLAMA_CPP, s.framework());
        assertEquals(Quant.Q4_K_M, s.quant());
        assertEquals(Mode.INFERENCE, s.workload().mode());
        assertEquals(1, s.workload().promptTokens());
        assertEquals(512, s.workload().generateTokens());
        assertEquals(1, s.workload().batch());
        assertTrue(rs.notes().isEmpty(), rs.notes().toString());
    }

    @Test
    void llamaCppSplitsLayersAcrossDevices() {
        Measurement multi = BUNDLED.rows().stream()
                .filter(m -> m.text("n_devices").equals("4") && m.frameworkId().equals("llama.cpp")
                        && m.text("exclude").equals("0") && !m.text("hardware_id").isEmpty())
                .findFirst().orElseThrow();
        Scenario s = scenario(multi).scenario();
        assertEquals(4, s.deviceCount());
        assertEquals(Framework.LLAMA_CPP, s.framework());
        assertEquals(Parallelism.LAYER, s.framework().defaultParallelism(s.workload().mode()),
                "llama.cpp splits layers unless told otherwise, so the row needs no option");
        assertNull(s.options().parallelism());
    }

    @Test
    void contextShiftCapsTheGeneratedTokens() {
        // id 805: prompt 494, --n 1023 with n_ctx 512
        RowScenario rs = scenario(bundled("805"));
        assertEquals(494, rs.scenario().workload().promptTokens());
        assertEquals(18, rs.scenario().workload().generateTokens());
        assertTrue(rs.notes().get(0).startsWith("context shift"), rs.notes().toString());
    }

    @Test
    void promptSpeedGeneratesOneToken() {
        // id 5: llama-bench pp512 (gen 0)
        RowScenario rs = scenario(bundled("5"));
        assertEquals(Metric.PROMPT_TOK_S, rs.metric());
        assertEquals(512, rs.scenario().workload().promptTokens());
        assertEquals(1, rs.scenario().workload().generateTokens());
    }

    @Test
    void qloraTrainingRowOfAPyTorchTrainer() {
        // id 1068: litgpt QLoRA (nf4) Llama-2-7B, micro-batch 1, sequences "<=1304", 220.8 ms/iter
        RowScenario rs = scenario(bundled("1068"));
        Scenario s = rs.scenario();
        assertEquals(Metric.TRAIN_MS_PER_ITER, rs.metric());
        assertEquals(Mode.TRAINING, s.workload().mode());
        assertEquals(TrainMethod.QLORA, s.workload().method());
        assertEquals(Quant.NONE, s.quant());
        assertEquals(Framework.LITGPT, s.framework());
        assertEquals(1304, s.workload().promptTokens());
        assertEquals(1, s.workload().batch());
        assertEquals("a100-sxm4-40gb", s.device().id());
        assertTrue(rs.notes().stream().anyMatch(n -> n.contains("stated maximum")), rs.notes().toString());
    }

    @Test
    void runtimeRowCarriesItsIterations() {
        // id 1116: 4 epochs x 1,900 samples at micro-batch 2
        RowScenario rs = scenario(bundled("1116"));
        assertEquals(3800.0, rs.iterations());
        assertNull(scenario(bundled("1")).iterations());
    }

    @Test
    void memoryWithoutADeviceIsEstimatedWithoutOne() {
        // id 1047: llama.cpp total VRAM of Llama-2-7B Q4_0 at n_ctx 512, GPU unspecified
        Scenario s = scenario(bundled("1047")).scenario();
        assertNull(s.device());
        assertEquals(512, s.workload().totalTokens());
    }

    @Test
    void excludedRowsGiveTheirReason() {
        RowProblem p = problem(bundled("1150"));
        assertEquals(Status.EXCLUDED, p.status());
        assertEquals("config not stated (differs from the 4090 row)", p.getMessage());
    }

    @Test
    void rowsTheCatalogCannotDescribeAreUnsupported() {
        // id 1289: bigcode/octocoder (not in the catalog)
        RowProblem model = problem(bundled("1289"));
        assertEquals(Status.UNSUPPORTED, model.status());
        assertTrue(model.getMessage().contains("column model_id: blank"), model.getMessage());
        // GPU + CPU hybrid training (DeepSpeed offload), and Apple CPU-backend rows
        Map<String, String> cells = new LinkedHashMap<>(bundled("1144").cells());
        cells.put("backend", "hybrid");
        cells.put("n_devices", "");
        RowProblem hybrid = problem(new Measurement(1, cells));
        assertEquals(Status.UNSUPPORTED, hybrid.status());
        assertTrue(hybrid.getMessage().contains("column backend: a GPU + CPU hybrid run"), hybrid.getMessage());
    }

    @Test
    void appleCpuBackendRowsRunOnTheSocsCpuCores() {
        Measurement appleCpu = BUNDLED.rows().stream()
                .filter(m -> m.backend().equals("cpu") && m.text("hardware_id").startsWith("m")).findFirst().orElseThrow();
        RowScenario rs = RowScenario.of(appleCpu, Catalog.get());
        assertEquals(0, rs.scenario().options().gpuLayers());
        assertTrue(rs.notes().stream().anyMatch(n -> n.contains("CPU cores")), rs.notes().toString());
    }

    @Test
    void settingsAreReadAsOptions() {
        Map<String, String> cells = new LinkedHashMap<>(bundled("1").cells());
        cells.put("settings", "--flash-attention on --ubatch 256  --runtime-version b2795");
        RowScenario rs = RowScenario.of(new Measurement(1, cells), Catalog.get());
        assertEquals(Boolean.TRUE, rs.scenario().options().flashAttention());
        assertEquals(256, rs.scenario().options().ubatch());
        assertEquals("b2795", rs.scenario().options().serving().runtimeVersion().text());
        cells.put("settings", "--no-such-option 3");
        RowProblem p = problem(new Measurement(1, cells));
        assertEquals(Status.INVALID, p.status());
        assertTrue(p.getMessage().contains("--no-such-option"), p.getMessage());
    }

    @Test
    void malformedRowsNameRowAndColumn() {
        MeasuredData bad = ValidatorTest.resource("bad.csv");
        String[] expected = {
            null,
            "row 3 (id 2), column metric: unknown metric 'decode_toks'",
            "row 4 (id 3), column batch: 'two' is not a positive integer",
            "row 5 (id 4), column value_norm: 'fast' is not a number",
            "row 6 (id 5), column model_id: unknown model 'meta-llama/Llama-2-7b-hfx'",
            "row 7 (id 6), column hardware_id: unknown device 'rtx-4909'",
            "row 8 (id 7), column framework_id: unknown framework 'llama-cpp2'",
            "row 9 (id 8), column unit_norm: 'GB/s', but decode_tok_s values are in tok/s",
            "row 10 (id 9), column value_norm: '2': fits_in_memory is 1 (ran) or 0 (out of memory)",
        };
        scenario(bad.rows().get(0));
        for (int i = 1; i < expected.length; i++) {
            RowProblem p = problem(bad.rows().get(i));
            assertEquals(Status.INVALID, p.status(), p.getMessage());
            assertTrue(p.getMessage().startsWith(expected[i]), p.getMessage());
        }
        assertTrue(problem(bad.rows().get(1)).getMessage().contains("did you mean: decode_tok_s"));
        assertTrue(problem(bad.rows().get(4)).getMessage().contains("did you mean: meta-llama/Llama-2-7b-hf"));
        assertTrue(problem(bad.rows().get(5)).getMessage().contains("rtx-4090"));
        assertTrue(problem(bad.rows().get(6)).getMessage().contains("did you mean: llama.cpp"));
    }

    /** Row 1144 (torchtune full fine-tuning of Llama-3.1-8B on an RTX 4090) with a settings cell. */
    private static Measurement withSettings(String settings) {
        Map<String, String> cells = new LinkedHashMap<>(bundled("1144").cells());
        cells.put("settings", settings);
        return new Measurement(1, cells);
    }

    @Test
    void settingsApplyOnTopOfTheColumns() {
        // (--method lora: LoRA targets apply to LoRA, not to the row's full fine-tuning)
        Scenario s = scenario(withSettings("--compile --optimizer paged-adam-8bit --optimizer-in-backward "
                + "--grad-checkpointing yes --batch 4 --method lora --lora-targets 'q, v'")).scenario();
        assertEquals(Framework.TORCHTUNE, s.framework());
        assertEquals(Boolean.TRUE, s.options().training().compile());
        assertEquals(Boolean.TRUE, s.options().training().optimizerInBackward());
        assertEquals(Optimizer.PAGED_ADAM_8BIT, s.workload().optimizer());
        assertTrue(s.workload().gradientCheckpointing());
        assertEquals("q,v", s.options().loraTargets().id());
        // the settings' --batch wins over the batch column (2)
        assertEquals(4, s.workload().batch());
        // a blank cell changes nothing: torchtune's defaults apply
        Scenario plain = scenario(withSettings("")).scenario();
        assertEquals(2, plain.workload().batch());
        assertNull(plain.options().training().compile());
    }

    @Test
    void anUnknownSettingMakesTheRowInvalidNamingIt() {
        RowProblem p = problem(withSettings("--compile --interconect nvlink"));
        assertEquals(Status.INVALID, p.status());
        assertTrue(p.getMessage().contains("column settings"), p.getMessage());
        assertTrue(p.getMessage().contains("--interconect"), p.getMessage());
        RowProblem quote = problem(withSettings("--lora-targets 'q,v"));
        assertEquals(Status.INVALID, quote.status());
        assertTrue(quote.getMessage().contains("unclosed single quote"), quote.getMessage());
        RowProblem value = problem(withSettings("--optimizer adamx"));
        assertEquals(Status.INVALID, value.status());
        assertTrue(value.getMessage().contains("unknown optimizer 'adamx'"), value.getMessage());
    }

    @Test
    void inferenceOfATrainingRuntimeIsUnsupported() {
        // id 1090: litgpt's own generate, memory
        RowProblem p = problem(bundled("1090").cells().get("prompt_len").isEmpty()
                ? withColumns(bundled("1090"), Map.of("prompt_len", "128", "gen_len", "128")) : bundled("1090"));
        assertEquals(Status.UNSUPPORTED, p.status());
        assertTrue(p.getMessage().contains("LitGPT is modelled for fine-tuning only"), p.getMessage());
    }

    private static Measurement withColumns(Measurement m, Map<String, String> changes) {
        Map<String, String> cells = new LinkedHashMap<>(m.cells());
        cells.putAll(changes);
        return new Measurement(m.row(), cells);
    }
}
