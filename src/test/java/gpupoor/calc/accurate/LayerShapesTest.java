package gpupoor.calc.accurate;

import gpupoor.calc.Estimate;
import gpupoor.calc.Framework;
import gpupoor.calc.Limits;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Methods;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Figures computed once per block shape equal the plain walk over every block ({@link PerLayerWalk}):
 * a dense model, sliding-window and chunked attention, hybrids with recurrent and MoE blocks, MLA,
 * Falcon's mixes; and a config with the most blocks {@link Limits} accepts holds a handful of tensors
 * and answers with the walk's numbers.
 */
class LayerShapesTest {

    private static final List<String> MODELS = List.of("meta-llama/Meta-Llama-3-8B", "google/gemma-3-12b-it",
            "ai21labs/AI21-Jamba-1.5-Mini", "Qwen/Qwen3-Next-80B-A3B-Instruct", "meta-llama/Llama-4-Scout-17B-16E-Instruct",
            "deepseek-ai/DeepSeek-V2-Lite", "tiiuae/falcon-7b", "openai/gpt-oss-20b", "mistralai/Mixtral-8x7B-v0.1",
            "google/gemma-2-9b");

    private static final List<Quant> QUANTS = List.of(Quant.Q4_K_M, Quant.Q3_K_M, Quant.Q4_K_S, Quant.Q5_K_M, Quant.Q2_K,
            Quant.IQ4_XS, Quant.Q4_0, Quant.GGUF_F16, Quant.NONE, Quant.FP8, Quant.BNB_NF4, Quant.BNB_INT8, Quant.GPTQ_INT4,
            Quant.EXL2, Quant.MLC_Q3F16_1);

    /** EXL2 at a rate whose bytes are not whole numbers. */
    private static final double EXL2_BITS = 4.65;

    static Stream<Object[]> modelsAndQuants() {
        List<Object[]> out = new ArrayList<>();
        for (String m : MODELS) {
            for (Quant q : QUANTS) {
                out.add(new Object[] {m, q});
            }
        }
        return out.stream();
    }

    /**
     * Equal to the last bit where the format stores whole bytes (every sum is then exact, in any
     * order), else up to rounding: a range of blocks is a difference of running sums.
     */
    private static void same(double walk, double grouped, boolean whole, String what) {
        if (whole) {
            assertEquals(walk, grouped, what);
        } else {
            assertEquals(walk, grouped, Math.abs(walk) * 1e-12, what);
        }
    }

    private static double sum(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    private static void weightsMatchTheWalk(Architecture a, ModelSpec m, Quant q, ServingOptions keep) {
        String id = m.id() + " " + q.id();
        WeightFormat f = WeightFormat.of(q, m, false, EXL2_BITS, keep);
        WeightBytes wb = WeightBytes.of(a, m, q, false, EXL2_BITS, keep);
        double[] layers = PerLayerWalk.layerBytes(a, f);
        double[] repack = PerLayerWalk.repackBytes(a, f);
        int n = a.layers();
        boolean whole = true;
        for (Tensor t : PerLayerWalk.tensors(a)) {
            whole &= f.bytes(a, t) == Math.rint(f.bytes(a, t));
        }
        // totals add in the model's order, as the walk does: equal to the last bit in any format
        assertEquals(PerLayerWalk.totalBytes(a, f), wb.total(), id + " total");
        assertEquals(sum(layers, 0, n), wb.allLayers(), id + " blocks");
        double largest = 0;
        for (int i = 0; i < n; i++) {
            same(layers[i], wb.layers(i, i + 1), whole, id + " block " + i);
            largest = Math.max(largest, layers[i]);
        }
        assertEquals(largest, wb.largestLayer(), id + " largest block");
        for (int k : new int[] {0, 1, n / 3, n / 2, n - 1, n}) {
            same(sum(layers, n - k, n), wb.layers(n - k, n), whole, id + " last " + k + " blocks");
            assertEquals(sum(repack, 0, n - k), wb.repacked(0, n - k), id + " repacked first " + (n - k) + " blocks");
        }
        double routed = PerLayerWalk.decoderBytes(a, f, true);
        assertEquals(PerLayerWalk.decoderBytes(a, f, false), wb.denseActive(), id + " dense bytes");
        assertEquals(a.moe() == null ? routed : routed / a.moe().experts(), wb.perExpert(), id + " bytes per expert");
    }

    @ParameterizedTest
    @MethodSource("modelsAndQuants")
    void weightBytesEqualThePerLayerWalk(String model, Quant q) {
        ModelSpec m = Catalog.get().model(model);
        weightsMatchTheWalk(Architecture.of(m), m, q, null);
    }

    @Test
    void bitsandbytesModulesKeptIn16BitsAreCountedInTheirBlocksOnly() {
        ModelSpec m = Catalog.get().model("meta-llama/Meta-Llama-3-8B");
        Architecture a = Architecture.of(m);
        ServingOptions keep = ServingOptions.NONE.withUnquantizedModules("model.layers.0.self_attn,model.layers.31.mlp");
        weightsMatchTheWalk(a, m, Quant.BNB_NF4, keep);
        WeightBytes plain = WeightBytes.of(a, m, Quant.BNB_NF4, false);
        WeightBytes kept = WeightBytes.of(a, m, Quant.BNB_NF4, false, EXL2_BITS, keep);
        assertTrue(kept.layers(0, 1) > plain.layers(0, 1) && kept.layers(31, 32) > plain.layers(31, 32));
        assertEquals(plain.layers(1, 31), kept.layers(1, 31));
    }

    @ParameterizedTest
    @MethodSource("models")
    void parameterSumsEqualThePerLayerWalk(String model) {
        Architecture a = Architecture.of(Catalog.get().model(model));
        assertEquals(PerLayerWalk.totalParams(a), a.totalParams(), model);
        assertEquals(PerLayerWalk.activeParams(a), a.activeParams(), model + " active");
        assertEquals(PerLayerWalk.largestTensorParams(a), TrainingPlan.largestTensorParams(a), model + " largest tensor");
        for (LoraTargets targets : List.of(LoraTargets.QV, LoraTargets.ALL)) {
            double walk = 0;
            for (Tensor t : PerLayerWalk.tensors(a)) {
                LoraTargets.Module module = TrainingMemory.module(t.role());
                if (module != null && targets.contains(module)) {
                    walk += 16.0 * (t.rows() + t.cols()) * t.copies();
                }
            }
            assertEquals(walk, TrainingMemory.loraParams(a, targets, 16), model + " LoRA " + targets.id());
        }
        int blocks = 0;
        for (Architecture.Block b : a.blocks()) {
            blocks += b.count();
            assertEquals(b, a.block(b.first()), model);
        }
        assertEquals(a.layers(), blocks, model);
    }

    static Stream<String> models() {
        return MODELS.stream();
    }

    /** The shapes follow the configs' rules: Jamba attends in every 8th block from 4, routes experts in every 2nd from 1. */
    @Test
    void blockShapesFollowTheConfig() {
        Architecture jamba = Architecture.of(Catalog.get().model("ai21labs/AI21-Jamba-1.5-Mini"));
        // attention with a dense MLP, Mamba with a dense MLP, Mamba with experts
        assertEquals(3, jamba.blocks().size());
        for (int i = 0; i < jamba.layers(); i++) {
            List<Tensor.Role> roles = jamba.block(i).tensors().stream().map(Tensor::role).toList();
            assertEquals(i % 8 == 4, roles.contains(Tensor.Role.ATTN_Q), "block " + i);
            assertEquals(i % 8 != 4, roles.contains(Tensor.Role.SSM_IN), "block " + i);
            assertEquals(i % 2 == 1, roles.contains(Tensor.Role.FFN_GATE_EXPS), "block " + i);
        }
        // Gemma 3: five sliding blocks to one global one, the same tensors in each
        Architecture gemma = Architecture.of(Catalog.get().model("google/gemma-3-12b-it"));
        assertEquals(2, gemma.blocks().size());
        assertEquals(40, gemma.blocks().get(0).count());
        assertEquals(8, gemma.blocks().get(1).count());
        assertEquals(5, gemma.blocks().get(1).first());
        assertEquals(1, Architecture.of(Catalog.get().model("meta-llama/Meta-Llama-3-8B")).blocks().size());
    }

    /** A model with {@code layers} blocks, else Llama 3 8B's config. */
    private static ModelSpec llamaWith(int layers) {
        Map<String, Object> config = new HashMap<>(Catalog.get().model("meta-llama/Meta-Llama-3-8B").config());
        config.put("num_hidden_layers", layers);
        return ModelSpec.of("llama-" + layers + "-blocks", ModelSpec.Source.CONFIG_FILE, config);
    }

    @Test
    void theMostBlocksAcceptedHoldAHandfulOfTensorsAndAnswerWithTheWalksNumbers() {
        ModelSpec m = llamaWith(Limits.MAX_LAYERS);
        Architecture a = Architecture.of(m);
        int tensors = a.outside().size();
        for (Architecture.Block b : a.blocks()) {
            tensors += b.tensors().size();
        }
        assertTrue(tensors < 20, "tensors held: " + tensors);
        weightsMatchTheWalk(a, m, Quant.Q4_K_M, null);

        // llama.cpp with the last 50,000 blocks on the GPU: their bytes as the walk sums them
        int ngl = Limits.MAX_LAYERS / 2;
        Catalog c = Catalog.get();
        Scenario offload = new Scenario(m, Quant.Q4_K_M, Framework.LLAMA_CPP, Workload.inference(512, 128),
                c.hardware("h100-sxm5-80gb"), 1, null, Options.NONE.withGpuLayers(ngl));
        Estimate e = Methods.DEFAULT.estimate(offload);
        double[] layers = PerLayerWalk.layerBytes(a, WeightFormat.of(Quant.Q4_K_M, m, false, EXL2_BITS, null));
        assertEquals(sum(layers, a.layers() - ngl, a.layers()) / (1024 * 1024), e.memory().weightsMiB(),
                1e-9 * e.memory().weightsMiB());

        // Ollama searches num_gpu up to every block and the output layer (-1: more than GPU layers accepts as a count)
        Estimate ollama = Methods.DEFAULT.estimate(new Scenario(m, Quant.Q4_K_M, Framework.OLLAMA, Workload.inference(512, 128),
                c.hardware("h100-sxm5-80gb"), 1, null, Options.NONE));
        assertTrue(ollama.memory().weightsMiB() > 0 && ollama.memory().weightsMiB() < 80 * 1024, "on the GPU: "
                + ollama.memory().weightsMiB());

        // and a fine-tuning estimate: finite and positive throughout
        Scenario lora = new Scenario(m, Quant.NONE, Framework.HF, Workload.training(TrainMethod.LORA, 512),
                c.hardware("h100-sxm5-80gb"), 1, null, Options.NONE);
        Estimate t = Methods.DEFAULT.estimate(lora);
        assertTrue(t.memory().totalMiB() > 0 && Double.isFinite(t.memory().totalMiB()), "training total " + t.memory().totalMiB());
        assertTrue(t.training().msPerIteration() > 0 && Double.isFinite(t.training().msPerIteration()));
    }
}
