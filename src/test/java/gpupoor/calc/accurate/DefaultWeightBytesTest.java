package gpupoor.calc.accurate;

import gpupoor.calc.Quant;
import gpupoor.calc.ModelSpec;

import gpupoor.catalog.Catalog;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weight bytes per format against published file sizes and llama.cpp's own logs (catalog/measured.csv). */
class DefaultWeightBytesTest {

    private static final double MIB = 1024 * 1024;

    private static WeightBytes bytes(String id, Quant q) {
        ModelSpec m = Catalog.get().model(id);
        return WeightBytes.of(Architecture.of(m), m, q, false);
    }

    private static double measured(String id) {
        Measurement m = MeasuredData.bundled().rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        return Double.parseDouble(m.text("value_norm"));
    }

    /** TheBloke/Llama-2-7B-GGUF file sizes (GB = 10^9 bytes), and the 13B GGML v3 q4_K_M file. */
    @ParameterizedTest
    @CsvSource({
            "meta-llama/Llama-2-7b-hf, gguf-Q4_K_M, 4.08",
            "meta-llama/Llama-2-7b-hf, gguf-Q4_0, 3.83",
            "meta-llama/Llama-2-7b-hf, gguf-Q8_0, 7.16",
            "meta-llama/Llama-2-7b-hf, gguf-Q5_K_M, 4.78",
            "meta-llama/Llama-2-7b-hf, gguf-Q6_K, 5.53",
            "meta-llama/Llama-2-13b-hf, gguf-Q4_K_M, 7.87"})
    void ggufFileSizes(String id, String quant, double gb) {
        double got = bytes(id, Quant.parse(quant)).total() / 1e9;
        assertEquals(gb, got, 0.011 * gb, id + " " + quant + ": " + got);
    }

    /** ggml's block layouts: bits per weight of each type (llama.cpp's quantize tool prints the same). */
    @ParameterizedTest
    @CsvSource({"Q4_0, 4.5", "Q4_1, 5.0", "Q5_0, 5.5", "Q5_1, 6.0", "Q8_0, 8.5", "Q2_K, 2.625", "Q3_K, 3.4375",
            "Q4_K, 4.5", "Q5_K, 5.5", "Q6_K, 6.5625", "MXFP4, 4.25"})
    void blockTypesBitsPerWeight(String type, double bits) {
        assertEquals(bits, GgufType.valueOf(type).bitsPerWeight(), 1e-12);
    }

    @Test
    void q4KmOfLlama2Is380GiB() {
        // the task's published figure: 3.80 GiB = 4.08 GB
        assertEquals(3.80, bytes("meta-llama/Llama-2-7b-hf", Quant.Q4_K_M).total() / (1024 * MIB), 0.01);
    }

    @Test
    void llamaBenchModelSizesFromTheCatalog() {
        // llama-bench's "model size" (the whole file): rows 801, 803, 804 of catalog/measured.csv
        assertEquals(measured("801"), bytes("meta-llama/Meta-Llama-3-8B", Quant.Q4_K_M).total() / MIB, 0.005 * measured("801"));
        assertEquals(measured("803"), bytes("meta-llama/Meta-Llama-3-70B", Quant.Q4_K_M).total() / MIB, 0.005 * measured("803"));
        assertEquals(measured("804"), bytes("meta-llama/Meta-Llama-3-70B", Quant.GGUF_F16).total() / MIB, 0.005 * measured("804"));
    }

    @Test
    void llamaCppKeepsTheTokenEmbeddingOnTheHost() {
        // llama.cpp's "VRAM used" for the weights at full offload: rows 1048 (Q4_0) and 1050 (F16)
        WeightBytes q40 = bytes("meta-llama/Llama-2-7b-hf", Quant.Q4_0);
        assertEquals(measured("1048"), (q40.total() - q40.tokenEmbedding()) / MIB, 0.001 * measured("1048"));
        WeightBytes f16 = bytes("meta-llama/Llama-2-7b-hf", Quant.GGUF_F16);
        assertEquals(measured("1050"), (f16.total() - f16.tokenEmbedding()) / MIB, 0.001 * measured("1050"));
    }

    @Test
    void kQuantMixesSpendMoreBitsWhereLlamaCppDoes() {
        Architecture a = Architecture.of(Catalog.get().model("meta-llama/Meta-Llama-3-8B"));
        int sixBit = 0;
        for (Tensor t : PerLayerWalk.tensors(a)) {
            if (t.role() == Tensor.Role.ATTN_V && GgufMix.typeOf(Quant.Q4_K_M, a, t) == GgufType.Q6_K) {
                sixBit++;
            }
        }
        // use_more_bits: first 4, last 4 and every third layer between of 32 = 16 layers
        assertEquals(16, sixBit);
        Tensor head = PerLayerWalk.tensors(a).stream().filter(t -> t.role() == Tensor.Role.OUTPUT).findFirst().orElseThrow();
        assertEquals(GgufType.Q6_K, GgufMix.typeOf(Quant.Q4_K_M, a, head));
        assertEquals(GgufType.Q6_K, GgufMix.typeOf(Quant.Q4_0, a, head));
        // Mixtral (8 experts): attn_v and attn_k in Q8_0
        Architecture mix = Architecture.of(Catalog.get().model("mistralai/Mixtral-8x7B-v0.1"));
        Tensor v = PerLayerWalk.tensors(mix).stream().filter(t -> t.role() == Tensor.Role.ATTN_V).findFirst().orElseThrow();
        assertEquals(GgufType.Q8_0, GgufMix.typeOf(Quant.Q4_K_M, mix, v));
    }

    @Test
    void rowsNotMultipleOf256FallBack() {
        // Falcon-7B's hidden size 4544 is not a multiple of 256: Q4_K tensors over it become Q5_0
        Architecture f = Architecture.of(Catalog.get().model("tiiuae/falcon-7b"));
        Tensor qkv = PerLayerWalk.tensors(f).stream().filter(t -> t.role() == Tensor.Role.ATTN_QKV).findFirst().orElseThrow();
        assertEquals(GgufType.Q5_0, GgufMix.typeOf(Quant.Q4_K_S, f, qkv));
    }

    @Test
    void bitsAndBytesAndGptqKeepEmbeddingsIn16Bits() {
        WeightBytes fp16 = bytes("meta-llama/Llama-2-7b-hf", Quant.NONE);
        WeightBytes nf4 = bytes("meta-llama/Llama-2-7b-hf", Quant.BNB_NF4);
        WeightBytes gptq = bytes("meta-llama/Llama-2-7b-hf", Quant.GPTQ_INT4);
        assertEquals(fp16.tokenEmbedding(), nf4.tokenEmbedding());
        assertEquals(fp16.head(), gptq.head());
        // TheBloke/Llama-2-7B-GPTQ main branch (4-bit, group size 128): 3.90 GB of safetensors
        assertEquals(3.90, gptq.total() / 1e9, 0.04);
        // double quantization saves 0.37 bits per quantized weight (QLoRA paper: about 0.373)
        ModelSpec m = Catalog.get().model("meta-llama/Llama-2-7b-hf");
        Architecture a = Architecture.of(m);
        WeightBytes dq = WeightBytes.of(a, m, Quant.BNB_NF4, true);
        double quantized = a.totalParams() - 2.0 * a.vocab() * a.hidden();
        assertEquals(0.373, 8 * (nf4.total() - dq.total()) / quantized, 0.002);
        assertTrue(nf4.total() < fp16.total() / 3);
    }

    @Test
    void publishedQuantizedCheckpointsAreTakenAsPublished() {
        // gpt-oss-20b ships MXFP4 experts: about 13.8 GB of weights
        assertEquals(13.8, bytes("openai/gpt-oss-20b", Quant.NONE).total() / 1e9, 0.2);
        // DeepSeek-V3 ships fp8 weights: about one byte per parameter
        WeightBytes v3 = bytes("deepseek-ai/DeepSeek-V3", Quant.NONE);
        assertEquals(1.0, v3.total() / Architecture.of(Catalog.get().model("deepseek-ai/DeepSeek-V3")).totalParams(), 0.01);
    }
}
