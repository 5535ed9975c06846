package gpupoor.calc.accurate;

import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.ModelSpec;

import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter counts and KV sizes from config.json against the numbers model cards and papers publish. */
class DefaultArchitectureTest {

    private static Architecture arch(String id) {
        return Architecture.of(Catalog.get().model(id));
    }

    /** Exact counts published with the weights (model cards, the Gemma paper's table 1, torch parameter counts). */
    @ParameterizedTest
    @CsvSource({
            "meta-llama/Llama-2-7b-hf, 6738415616",
            "mistralai/Mistral-7B-v0.1, 7241732096",
            // bigscience/bloom-7b1 model card: 7,069,016,064 parameters
            "bigscience/bloom-7b1, 7069016064",
            // GPT-2 small: 124,439,808 parameters (tied head, learned positions)
            "openai-community/gpt2, 124439808"})
    void exactParameterCounts(String id, long expected) {
        assertEquals(expected, arch(id).totalParams());
    }

    /** Rounded counts from model cards: total in billions, within the card's rounding. */
    @ParameterizedTest
    @CsvSource({
            "meta-llama/Llama-3.1-8B, 8.03",
            "meta-llama/Llama-2-13b-hf, 13.0",
            "meta-llama/Llama-2-70b-hf, 69.0",
            "meta-llama/Llama-3.1-405B, 405.9",
            "mistralai/Mixtral-8x7B-v0.1, 46.7",
            "deepseek-ai/DeepSeek-V3, 671",
            "Qwen/Qwen3-30B-A3B, 30.5",
            "Qwen/Qwen2.5-7B, 7.61",
            "Qwen/Qwen2.5-0.5B, 0.49",
            "openai/gpt-oss-20b, 20.9",
            "openai/gpt-oss-120b, 116.8",
            "google/gemma-2-9b, 9.24",
            "microsoft/phi-2, 2.78"})
    void roundedParameterCounts(String id, double billions) {
        double got = arch(id).totalParams() / 1e9;
        assertEquals(billions, got, Math.max(billions * 0.006, 0.005), id + ": " + got);
    }

    @Test
    void gemmaNonEmbeddingParametersMatchThePaper() {
        // Gemma paper, table 1: 7,751,248,896 non-embedding parameters for the 7B model (its embedding row
        // counts a padded 256,128-entry vocabulary; the released config has 256,000)
        Architecture a = arch("google/gemma-7b");
        assertEquals(7751248896L, a.totalParams() - (long) a.vocab() * a.hidden());
    }

    @Test
    void mixtralUses12point9BillionPerToken() {
        // Mistral AI: "46.7B total parameters but only uses 12.9B parameters per token" (embeddings counted)
        Architecture a = arch("mistralai/Mixtral-8x7B-v0.1");
        double perToken = (a.activeParams() + (double) a.vocab() * a.hidden()) / 1e9;
        assertEquals(12.9, perToken, 0.05);
    }

    @Test
    void deepSeekV3Activates37BillionAndQwen3MoeThree() {
        // DeepSeek-V3 model card: 671B total, 37B activated; Qwen3-30B-A3B card: 3.3B activated
        Architecture v3 = arch("deepseek-ai/DeepSeek-V3");
        assertEquals(37, (v3.activeParams() + (double) v3.vocab() * v3.hidden()) / 1e9, 0.8);
        Architecture q = arch("Qwen/Qwen3-30B-A3B");
        assertEquals(3.3, (q.activeParams() + (double) q.vocab() * q.hidden()) / 1e9, 0.08);
        // gpt-oss-20b card: 3.6B active parameters
        assertEquals(3.6, arch("openai/gpt-oss-20b").activeParams() / 1e9, 0.1);
    }

    @Test
    void qwenNonEmbeddingParametersMatchTheCard() {
        // Qwen2.5-0.5B card: 0.49B parameters, 0.36B non-embedding (tied embedding of 151936 x 896)
        Architecture a = arch("Qwen/Qwen2.5-0.5B");
        assertTrue(a.tiedEmbeddings());
        assertEquals(0.36, (a.totalParams() - (double) a.vocab() * a.hidden()) / 1e9, 0.006);
    }

    @Test
    void groupedQueryAttentionKvBytes() {
        // Llama-3.1-8B: 32 layers x 2 (K, V) x 8 KV heads x 128 x 2 bytes = 131072 bytes per token in fp16
        KvCache kv = Runtime.of(Framework.VLLM).kvCache(arch("meta-llama/Llama-3.1-8B"), KvCacheType.F16, Quant.NONE);
        assertEquals(131072, kv.bytesPerToken());
        // Llama-2-7B is multi-head: 4x that per layer
        assertEquals(524288, Runtime.of(Framework.HF).kvCache(arch("meta-llama/Llama-2-7b-hf"), KvCacheType.F16, Quant.NONE).bytesPerToken());
    }

    @Test
    void latentAttentionCachesTheCompressedKv() {
        // DeepSeek-V2 paper: MLA caches (d_c + d_h^R) = 512 + 64 elements per token and layer
        Architecture a = arch("deepseek-ai/DeepSeek-V3");
        assertEquals(61L * 576 * 2, Runtime.of(Framework.VLLM).kvCache(a, KvCacheType.F16, Quant.NONE).bytesPerToken());
        // Hugging Face keeps the decompressed keys (128 heads x 192) and values (128 x 128)
        assertEquals(61L * (128 * 192 + 128 * 128) * 2, Runtime.of(Framework.HF).kvCache(a, KvCacheType.F16, Quant.NONE).bytesPerToken());
    }

    @Test
    void slidingWindowLayersHoldAtMostTheirWindow() {
        // Gemma 3 1B: sliding_window 512 on 5 of every 6 layers (26 layers: 22 local, 4 global), 1 KV head x 256
        Architecture a = arch("google/gemma-3-1b-it");
        assertEquals(22, a.slidingLayers());
        KvCache kv = Runtime.of(Framework.LLAMA_CPP).kvCache(a, KvCacheType.F16, Quant.GGUF_F16);
        double perLayerToken = 2 * 256 * 2;
        assertEquals(perLayerToken * (4 * 32768.0 + 22 * 512.0), kv.bytes(32768));
        // gpt-oss alternates sliding (window 128) and full layers
        assertEquals(12, arch("openai/gpt-oss-20b").slidingLayers());
        // Qwen configs state a window they do not use
        assertEquals(0, arch("Qwen/Qwen2.5-3B").slidingLayers());
    }

    @Test
    void multiQueryFalconAndPlainMlp() {
        Architecture f = arch("tiiuae/falcon-7b");
        assertEquals(1, f.kvHeads());
        assertEquals(64, f.headDim());
        assertEquals(4 * 4544, f.intermediate());
    }

    @Test
    void sizeOnlyModelsGetACurrentShapeOfThatSize() {
        Architecture a = Architecture.of(ModelSpec.ofSize(7));
        assertTrue(a.synthetic());
        // each dimension is rounded from a curve rising with the size (the MLP width to a multiple of 256,
        // as in real models): the total comes out within a few percent of the size
        assertEquals(7.0, a.totalParams() / 1e9, 0.2);
        assertEquals(0, a.intermediate() % 256);
        assertEquals(128, a.headDim());
        // grouped-query attention with 8 KV heads at every size, as Llama 3.x (1B-405B) and Qwen3 (0.6B-32B) have
        assertEquals(8, a.kvHeads());
        assertEquals(8, Architecture.of(ModelSpec.ofSize(70)).kvHeads());
        // 27B: 52 layers x 2 x 8 x 128 x 2 bytes = 212,992 bytes per token (multi-head with 52 heads would be 6.5x that)
        Architecture b27 = Architecture.of(ModelSpec.ofSize(27));
        assertEquals(52, b27.layers());
        assertEquals(212992, Runtime.of(Framework.HF).kvCache(b27, KvCacheType.F16, Quant.NONE).bytesPerToken());
    }

    @Test
    void theSizeFallbackNeverShrinksAsTheSizeGrows() {
        double lastKv = 0;
        long lastParams = 0;
        for (double b = 0.02; b <= 2000; b *= 1.01) {
            Architecture a = Architecture.of(ModelSpec.ofSize(b));
            double kv = Runtime.of(Framework.HF).kvCache(a, KvCacheType.F16, Quant.NONE).bytesPerToken();
            assertTrue(kv >= lastKv, b + "B: KV " + kv + " < " + lastKv);
            assertTrue(a.totalParams() >= lastParams, b + "B: parameters " + a.totalParams() + " < " + lastParams);
            if (b >= 1) {
                // each dimension is rounded from a rising curve: within 7% of the size from 1B up
                assertEquals(b, a.totalParams() / 1e9, b * 0.07, b + "B");
            }
            lastKv = kv;
            lastParams = a.totalParams();
        }
    }
}
