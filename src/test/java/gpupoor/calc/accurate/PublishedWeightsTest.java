package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Methods;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model known tensor by tensor: the default method takes each tensor's bytes from the file, not from the config. */
class PublishedWeightsTest {

    private static final long MIB = 1024 * 1024;

    /** Llama-3.1-8B as a GGUF header lists it: made-up types per tensor, sizes as ggml stores them. */
    private static ModelSpec ggufLlama() {
        ModelSpec cfg = Catalog.get().model("meta-llama/Llama-3.1-8B");
        List<ModelSpec.WeightTensor> t = new ArrayList<>();
        // Q4_K: 144 bytes per 256 weights; Q6_K: 210 per 256; F32 norms
        t.add(new ModelSpec.WeightTensor("token_embd.weight", "Q4_K", List.of(128256L, 4096L), 128256L * 4096 / 256 * 144, false));
        t.add(new ModelSpec.WeightTensor("output.weight", "Q6_K", List.of(128256L, 4096L), 128256L * 4096 / 256 * 210, false));
        t.add(new ModelSpec.WeightTensor("output_norm.weight", "F32", List.of(4096L), 4096L * 4, false));
        for (int i = 0; i < 32; i++) {
            for (String n : List.of("attn_q", "attn_output")) {
                t.add(new ModelSpec.WeightTensor("blk." + i + "." + n + ".weight", "Q4_K", List.of(4096L, 4096L), 4096L * 4096 / 256 * 144, false));
            }
            for (String n : List.of("attn_k", "attn_v")) {
                t.add(new ModelSpec.WeightTensor("blk." + i + "." + n + ".weight", "Q4_K", List.of(1024L, 4096L), 1024L * 4096 / 256 * 144, false));
            }
            for (String n : List.of("ffn_gate", "ffn_up")) {
                t.add(new ModelSpec.WeightTensor("blk." + i + "." + n + ".weight", "Q4_K", List.of(14336L, 4096L), 14336L * 4096 / 256 * 144, false));
            }
            t.add(new ModelSpec.WeightTensor("blk." + i + ".ffn_down.weight", "Q6_K", List.of(4096L, 14336L), 4096L * 14336 / 256 * 210, false));
            t.add(new ModelSpec.WeightTensor("blk." + i + ".attn_norm.weight", "F32", List.of(4096L), 4096L * 4, false));
            t.add(new ModelSpec.WeightTensor("blk." + i + ".ffn_norm.weight", "F32", List.of(4096L), 4096L * 4, false));
        }
        return ModelSpec.of("llama.gguf", ModelSpec.Source.GGUF, cfg.config(),
                new ModelSpec.Weights(t, Quant.Q4_K_M, "GGUF test file"));
    }

    @Test
    void exactBytesPerTensorAreKept() {
        ModelSpec m = ggufLlama();
        Architecture a = Architecture.of(m);
        WeightBytes wb = WeightBytes.of(a, m, Quant.Q4_K_M, false);
        assertEquals(m.weights().totalBytes(), wb.total());
        assertEquals(128256.0 * 4096 / 256 * 144, wb.tokenEmbedding());
        assertEquals(128256.0 * 4096 / 256 * 210, wb.head());
        double block = 2 * 4096.0 * 4096 / 256 * 144 + 2 * 1024.0 * 4096 / 256 * 144 + 2 * 14336.0 * 4096 / 256 * 144
                + 4096.0 * 14336 / 256 * 210 + 2 * 4096 * 4;
        assertEquals(block, wb.layers(7, 8));
        assertTrue(wb.quantizedKernels());
        assertTrue(wb.format().contains("as published") && wb.format().contains("Q4_K"), wb.format());
        // another quantization is estimated from the config as before
        assertTrue(WeightBytes.of(a, m, Quant.Q8_0, false).format().startsWith("GGUF Q8_0"));
    }

    @Test
    void aGgufModelRunsOnLlamaCppWithItsOwnTypesByDefault() {
        ModelSpec m = ggufLlama();
        Scenario s = Scenario.builder().model(m).device(Catalog.get().hardware("rtx-4090")).build();
        assertEquals(Quant.Q4_K_M, s.quant());
        assertEquals(Framework.LLAMA_CPP, s.framework());
        var e = Methods.DEFAULT.estimate(s);
        // llama.cpp keeps the token embedding in host memory; everything else of the file is on the GPU
        double onGpu = m.weights().totalBytes() - 128256.0 * 4096 / 256 * 144;
        assertEquals(onGpu / MIB, e.memory().weightsMiB(), 1e-6);
    }

    @Test
    void transformersNamesAndExpertsArePlaced() {
        int layers = 4;
        var w = new ModelSpec.WeightTensor("model.layers.2.mlp.experts.5.gate_proj.weight", "BF16", List.of(768L, 2048L), 1, false);
        Tensor t = PublishedWeights.place(w, layers);
        assertEquals(Tensor.Role.FFN_GATE_EXPS, t.role());
        assertEquals(2, t.layer());
        t = PublishedWeights.place(new ModelSpec.WeightTensor("blk.1.ffn_down_exps.weight", "Q4_K", List.of(128L, 2048L, 768L), 1, false), layers);
        assertEquals(Tensor.Role.FFN_DOWN_EXPS, t.role());
        assertEquals(128, t.copies());
        assertEquals(Tensor.Role.ROUTER, PublishedWeights.place(new ModelSpec.WeightTensor("model.layers.0.mlp.gate.weight", "BF16",
                List.of(128L, 2048L), 1, false), layers).role());
        assertEquals(Tensor.Role.FFN_GATE_SHEXP, PublishedWeights.place(new ModelSpec.WeightTensor(
                "model.layers.0.mlp.shared_expert.gate_proj.weight", "BF16", List.of(512L, 2048L), 1, false), layers).role());
        assertEquals(Tensor.Role.TOKEN_EMBD, PublishedWeights.place(new ModelSpec.WeightTensor("model.embed_tokens.weight", "BF16",
                List.of(151936L, 2048L), 1, false), layers).role());
        assertEquals(Tensor.Role.OUTPUT, PublishedWeights.place(new ModelSpec.WeightTensor("lm_head.weight", "BF16",
                List.of(151936L, 2048L), 1, false), layers).role());
        assertEquals(Tensor.Role.VISION, PublishedWeights.place(new ModelSpec.WeightTensor("vision_tower.blocks.0.attn.qkv.weight",
                "BF16", List.of(3456L, 1152L), 1, true), layers).role());
        assertEquals(Tensor.Role.VECTOR, PublishedWeights.place(new ModelSpec.WeightTensor("model.layers.3.input_layernorm.weight",
                "BF16", List.of(2048L), 1, false), layers).role());
        // a block index beyond the config's layers (a multi-token-prediction block) counts outside the blocks
        assertEquals(-1, PublishedWeights.place(new ModelSpec.WeightTensor("model.layers.4.mlp.gate_proj.weight", "BF16",
                List.of(6144L, 2048L), 1, false), layers).layer());
    }
}
