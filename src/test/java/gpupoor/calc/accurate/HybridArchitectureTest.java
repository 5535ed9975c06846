package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architectures of issue 11: multimodal configs (the text model under {@code text_config}, the
 * vision tower counted), hybrid models whose blocks are not all attention (Jamba, Qwen3-Next,
 * Falcon-H1, Mamba), Llama 4's chunked attention and interleaved experts. Expected numbers are the
 * model cards' parameter counts and KV bytes worked out by hand from the configs.
 */
class HybridArchitectureTest {

    private static Architecture arch(String id) {
        return Architecture.of(Catalog.get().model(id));
    }

    private static KvCache kv(Architecture a, Framework f) {
        Runtime r = Runtime.of(f);
        return r.kvCache(a, KvCacheType.F16, r.storage(Quant.NONE));
    }

    /** Totals (billions) as the model cards or the Hub's safetensors metadata round them. */
    @ParameterizedTest
    @CsvSource({
            // Gemma 3 cards / Hub: 4.3B, 12.2B, 27.4B (text model + SigLIP vision tower)
            "google/gemma-3-4b-it, 4.3",
            "google/gemma-3-12b-it, 12.2",
            "google/gemma-3-27b-it, 27.4",
            // Mistral Small 3.1: 24B with its Pixtral encoder
            "mistralai/Mistral-Small-3.1-24B-Instruct-2503, 24.0",
            // Llama 4 cards: 109B and 400B total
            "meta-llama/Llama-4-Scout-17B-16E-Instruct, 109",
            "meta-llama/Llama-4-Maverick-17B-128E-Instruct, 400",
            // Qwen3-Next card: 80B total (the checkpoint's multi-token-prediction block not counted)
            "Qwen/Qwen3-Next-80B-A3B-Instruct, 80",
            // Jamba 1.5 Mini card: 52B total
            "ai21labs/AI21-Jamba-1.5-Mini, 52"})
    void totalsMatchTheCards(String id, double billions) {
        double got = arch(id).totalParams() / 1e9;
        double rounding = billions >= 50 ? 0.5 + billions * 0.004 : 0.05;
        assertEquals(billions, got, rounding, id + ": " + got);
    }

    /** Parameters per token (embedding look-ups excluded, head included) against the cards' "active" figures. */
    @ParameterizedTest
    @CsvSource({
            // Jamba 1.5 Mini: 12B active
            "ai21labs/AI21-Jamba-1.5-Mini, 12, 0.5",
            // Llama 4 Scout and Maverick: 17B active (the card counts the input embedding of 1.03B too)
            "meta-llama/Llama-4-Scout-17B-16E-Instruct, 16.0, 0.5",
            "meta-llama/Llama-4-Maverick-17B-128E-Instruct, 16.0, 0.5",
            // Qwen3-Next: "3B activated" (10 of 512 experts + the shared one)
            "Qwen/Qwen3-Next-80B-A3B-Instruct, 3.3, 0.5"})
    void activeParametersMatchTheCards(String id, double billions, double tolerance) {
        assertEquals(billions, arch(id).activeParams() / 1e9, tolerance, id);
    }

    @Test
    void multimodalConfigsAreReadThroughTheirTextConfig() {
        Architecture g = arch("google/gemma-3-27b-it");
        // text_config: 62 layers, hidden 5376, 32 heads / 16 KV heads x 128, tied embeddings of 262,208
        assertEquals(62, g.layers());
        assertEquals(5376, g.hidden());
        assertEquals(16, g.kvHeads());
        assertTrue(g.tiedEmbeddings());
        // text model by hand: 262208 x 5376 + 62 x (5376 x (4096 + 2048 + 2048) + 4096 x 5376
        //                     + 3 x 5376 x 21504 + 4 x 5376) + 5376 (q/k norms of 128 each not counted)
        long text = 262208L * 5376 + 62L * (5376L * (4096 + 2048 + 2048) + 4096L * 5376 + 3L * 5376 * 21504 + 4L * 5376) + 5376;
        assertEquals(text, g.totalParams() - g.visionParams());
        // SigLIP so400m at 896 px: about 0.42B with the projector into 5376
        assertEquals(0.42, g.visionParams() / 1e9, 0.01);
        // the vision tower is not read per generated token (the tied embedding is, as the LM head)
        assertEquals(g.totalParams() - g.visionParams(), g.activeParams(), 1);
    }

    @Test
    void gemma3KvCacheByHand() {
        Architecture g = arch("google/gemma-3-27b-it");
        // sliding_window_pattern 6: 62 - 62/6 = 52 sliding layers (window 1024), 10 global
        assertEquals(52, g.slidingLayers());
        KvCache kv = kv(g, Framework.LLAMA_CPP);
        double perLayerToken = 2 * 16 * 128 * 2;
        assertEquals(62 * perLayerToken, kv.bytesPerToken());
        assertEquals(perLayerToken * (10 * 32768.0 + 52 * 1024.0), kv.bytes(32768));
    }

    @Test
    void llama4ChunkedAttentionAndInterleavedExperts() {
        Architecture scout = arch("meta-llama/Llama-4-Scout-17B-16E-Instruct");
        // every 4th layer (no_rope_layer_interval 4) is global, the other 36 attend within chunks of 8192
        assertEquals(36, scout.slidingLayers());
        assertEquals(8192, scout.slidingWindow());
        assertTrue(scout.chunked());
        // 48 layers x 2 x 8 KV heads x 128 x 2 bytes = 196,608 bytes per token up to 8192 tokens; then 12 layers grow
        KvCache kv = kv(scout, Framework.VLLM);
        assertEquals(196608, kv.bytesPerToken());
        assertEquals(12 * 4096.0 * 100_000 + 36 * 4096.0 * 8192, kv.bytes(100_000));
        // Maverick: interleave_moe_layer_step 2, so experts in layers 1, 3, 5 ... and a dense MLP of 16384 in the others
        Architecture maverick = arch("meta-llama/Llama-4-Maverick-17B-128E-Instruct");
        assertTrue(maverick.moe().isMoeLayer(1));
        assertTrue(!maverick.moe().isMoeLayer(0));
        assertEquals(16384, maverick.intermediate());
        assertEquals(8192, maverick.moe().sharedIntermediate());
    }

    @Test
    void qwen3NextCachesOnlyItsAttentionLayers() {
        Architecture a = arch("Qwen/Qwen3-Next-80B-A3B-Instruct");
        // full_attention_interval 4: 12 gated-attention layers, 36 Gated DeltaNet layers
        assertEquals(12, a.attentionLayers());
        assertEquals(36, a.recurrentLayers());
        KvCache kv = kv(a, Framework.VLLM);
        // 12 x 2 x 2 KV heads x 256 x 2 bytes = 24,576 bytes per token (all 48 as attention would be 98,304)
        assertEquals(24576, kv.bytesPerToken());
        // state per layer: conv (2 x 16 x 128 + 32 x 128) x (4 - 1) = 24,576 + recurrent 32 x 128 x 128 = 524,288
        assertEquals(36L * (24576 + 524288), a.recurrentElements());
        assertEquals(36L * (24576 + 524288) * 2, kv.stateBytes());
        // llama.cpp keeps recurrent states in F32
        assertEquals(36L * (24576 + 524288) * 4, kv(a, Framework.LLAMA_CPP).stateBytes());
    }

    @Test
    void jambaInterleavesAttentionMambaAndExperts() {
        Architecture a = arch("ai21labs/AI21-Jamba-1.5-Mini");
        // attn_layer_period 8, offset 4: attention in layers 4, 12, 20, 28
        assertEquals(4, a.attentionLayers());
        assertEquals(28, a.recurrentLayers());
        // expert_layer_period 2, offset 1: experts in the odd layers
        assertTrue(a.moe().isMoeLayer(1) && !a.moe().isMoeLayer(2));
        KvCache kv = kv(a, Framework.HF);
        // 4 x 2 x 8 x 128 x 2 = 16,384 bytes per token
        assertEquals(16384, kv.bytesPerToken());
        // Mamba state: d_inner = 2 x 4096 = 8192; conv 8192 x 3 + SSM 8192 x 16 per layer
        assertEquals(28L * (8192 * 3 + 8192 * 16), a.recurrentElements());
        // parameters by hand: embeddings 2 x 65536 x 4096; 28 Mamba mixers of
        // in 4096 x 16384 + x 8192 x 288 + dt 256 x 8192 + out 8192 x 4096 (+ vectors);
        // 4 attention blocks of 4096 x (4096 + 1024 + 1024) + 4096 x 4096; 16 MoE MLPs of 16 x 3 x 4096 x 14336
        // (+ router 16 x 4096) and 16 dense MLPs of 3 x 4096 x 14336
        double mamba = 4096.0 * 16384 + 8192.0 * 288 + 256.0 * 8192 + 8192.0 * 4096;
        double attention = 4096.0 * 6144 + 4096.0 * 4096;
        double mlp = 3.0 * 4096 * 14336;
        double byHand = 2 * 65536.0 * 4096 + 28 * mamba + 4 * attention + 16 * (16 * mlp + 16 * 4096) + 16 * mlp;
        assertEquals(byHand, a.totalParams(), byHand * 0.0005);
    }

    @Test
    void falconH1RunsAttentionAndMamba2InEveryBlock() {
        // Falcon-H1-7B's shape (transformers' FalconH1Config table: 44 layers, 3072, 12 heads / 2 KV, 24 Mamba heads of 128, d_state 256)
        ModelSpec m = Catalog.parseConfig("falcon-h1-7b.json", """
                {"model_type": "falcon_h1", "hidden_size": 3072, "num_hidden_layers": 44, "num_attention_heads": 12,
                 "num_key_value_heads": 2, "head_dim": 128, "intermediate_size": 12288, "vocab_size": 130048,
                 "tie_word_embeddings": false, "mamba_d_state": 256, "mamba_n_groups": 1, "mamba_n_heads": 24,
                 "mamba_d_head": 128, "mamba_d_ssm": 3072, "mamba_expand": 2, "mamba_d_conv": 4}""");
        Architecture a = Architecture.of(m);
        assertEquals(44, a.attentionLayers());
        assertEquals(44, a.recurrentLayers());
        // KV: 44 x 2 x 2 x 128 x 2 = 45,056 bytes per token; state: conv (3072 + 2 x 256) x 3 + SSM 3072 x 256
        assertEquals(45056, kv(a, Framework.VLLM).bytesPerToken());
        assertEquals(44L * (3584 * 3 + 3072 * 256), a.recurrentElements());
        // per block: attention 3072 x (1536 + 256 + 256) + 1536 x 3072, Mamba-2 in_proj 3072 x (3072 + 3584 + 24)
        // and out_proj 3072 x 3072, MLP 3 x 3072 x 12288; embeddings 2 x 130048 x 3072: 7.59B
        double block = 3072.0 * 2048 + 1536.0 * 3072 + 3072.0 * 6680 + 3072.0 * 3072 + 3 * 3072.0 * 12288;
        double byHand = 44 * block + 2 * 130048.0 * 3072;
        assertEquals(byHand, a.totalParams(), byHand * 0.0005);
        assertEquals(7.59, a.totalParams() / 1e9, 0.01);
    }

    @Test
    void mambaHasNoKvCacheOnlyAState() {
        // state-spaces/mamba-2.8b-hf: 64 layers of width 2560, d_state 16, expand 2, tied embeddings of 50280
        ModelSpec m = Catalog.parseConfig("mamba-2.8b.json", """
                {"model_type": "mamba", "hidden_size": 2560, "num_hidden_layers": 64, "vocab_size": 50280,
                 "state_size": 16, "expand": 2, "conv_kernel": 4, "time_step_rank": 160, "intermediate_size": 5120,
                 "use_bias": false, "use_conv_bias": true, "tie_word_embeddings": true}""");
        Architecture a = Architecture.of(m);
        assertEquals(0, a.attentionLayers());
        assertEquals(2.8, a.totalParams() / 1e9, 0.05);
        KvCache kv = kv(a, Framework.HF);
        assertEquals(0, kv.bytesPerToken());
        // 64 x (5120 x 3 + 5120 x 16) elements of 2 bytes, whatever the context
        assertEquals(64 * (5120 * 3 + 5120 * 16) * 2.0, kv.bytes(1_000_000));
        assertEquals(KvCache.UNBOUNDED, kv.tokensFitting(1e9));
        assertEquals(0, kv.tokensFitting(1000));
    }

    @Test
    void recurrentLayersWithoutTheirShapeAreRefused() {
        ModelSpec m = Catalog.parseConfig("x.json", """
                {"hidden_size": 1024, "num_hidden_layers": 4, "num_attention_heads": 8,
                 "layer_types": ["linear_attention", "full_attention", "linear_attention", "full_attention"]}""");
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Architecture.of(m));
        assertTrue(e.getMessage().contains("2 recurrent"), e.getMessage());
    }

    @Test
    void textOnlyModelsHaveNoVisionTowerAndNoState() {
        Architecture a = arch("meta-llama/Llama-3.1-8B");
        assertEquals(0, a.visionParams());
        assertNull(a.recurrent());
        assertEquals(32, a.attentionLayers());
    }
}
