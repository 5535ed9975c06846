package gpupoor.calc.accurate;

import gpupoor.calc.KvCacheType;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.KvPool;
import gpupoor.calc.Workload;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;
import gpupoor.calc.Budget;

import gpupoor.catalog.Catalog;
import gpupoor.validate.MeasuredData;
import gpupoor.validate.Measurement;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inference memory and the runtimes' memory rules. */
class DefaultMemoryTest {

    private static final Method DEFAULT = Methods.DEFAULT;

    private static Scenario scenario(String model, Quant q, Framework f, int prompt, int gen, String device) {
        Catalog c = Catalog.get();
        return new Scenario(c.model(model), q, f, Workload.inference(prompt, gen), device == null ? null : c.hardware(device),
                1, null, Options.NONE);
    }

    private static double measured(String id) {
        Measurement m = MeasuredData.bundled().rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        return Double.parseDouble(m.text("value_norm"));
    }

    @Test
    void llamaCppBuffersMatchItsOwnLog() {
        // catalog/measured.csv row 1047: 7B Q4_0 at n_ctx 512, "total VRAM used" 3904.06 MiB
        // (weights 3577.55 + context 326.50: f16 KV 256 MiB + compute buffer); the log leaves out the CUDA context
        Estimate e = DEFAULT.estimate(scenario("meta-llama/Llama-2-7b-hf", Quant.Q4_0, Framework.LLAMA_CPP, 494, 18, "rtx-4090"));
        double cudaContext = e.budget().runtimeContextMiB();
        assertEquals(cudaContext, e.memory().overheadMiB(), 1e-9);
        assertEquals(measured("1047"), e.memory().totalMiB() - cudaContext, 0.01 * measured("1047"));
        assertEquals(256, e.memory().kvCacheMiB(), 0.5);
        // row 1055: 70B Q4_0 (GQA: 80 layers x 2 x 1024 x 2 bytes = 160 MiB of KV at 512 tokens)
        Estimate e70 = DEFAULT.estimate(scenario("meta-llama/Llama-2-70b-hf", Quant.Q4_0, Framework.LLAMA_CPP, 494, 18, null));
        assertEquals(measured("1055"), e70.memory().totalMiB() - e70.memory().overheadMiB(), 0.01 * measured("1055"));
        assertEquals(160, e70.memory().kvCacheMiB(), 0.5);
    }

    @Test
    void metalMapsTheWholeFile() {
        // row 1059: M2 Ultra, 7B Q4_0, cumulative Metal buffers 3975.16 MiB (token embedding included)
        Estimate e = DEFAULT.estimate(scenario("meta-llama/Llama-2-7b-hf", Quant.Q4_0, Framework.LLAMA_CPP, 494, 18,
                "m2-ultra-76c-192gb"));
        assertEquals(measured("1059"), e.memory().totalMiB(), 0.01 * measured("1059"));
    }

    @Test
    void huggingFaceGenerateMemoryMatchesTheOptimumBenchmark() {
        // rows 1225 (batch 1) and 1249 (batch 16): Llama-2-13B fp16, prompt 512 + 512 new tokens, nvidia-smi peak
        Estimate b1 = DEFAULT.estimate(scenario("meta-llama/Llama-2-13b-hf", Quant.NONE, Framework.HF, 512, 512, "a100-sxm4-80gb"));
        assertEquals(measured("1225"), b1.memory().totalMiB(), 0.05 * measured("1225"));
        Scenario s16 = scenario("meta-llama/Llama-2-13b-hf", Quant.NONE, Framework.HF, 512, 512, "a100-sxm4-80gb").withBatch(16);
        assertEquals(measured("1249"), DEFAULT.estimate(s16).memory().totalMiB(), 0.05 * measured("1249"));
    }

    @Test
    void quantizedKvCacheShrinksTheCache() {
        // llama.cpp quantizes the V cache only with flash attention
        Options flash = Options.NONE.withFlashAttention(true);
        Scenario s = scenario("meta-llama/Llama-3.1-8B", Quant.Q4_K_M, Framework.LLAMA_CPP, 8000, 192, null).withOptions(flash);
        double f16 = DEFAULT.estimate(s).memory().kvCacheMiB();
        double q8 = DEFAULT.estimate(s.withOptions(flash.withKvCache(KvCacheType.Q8_0))).memory().kvCacheMiB();
        double q4 = DEFAULT.estimate(s.withOptions(flash.withKvCache(KvCacheType.Q4_0))).memory().kvCacheMiB();
        // q8_0 stores 32 values in 34 bytes, q4_0 in 18 bytes, f16 in 64
        assertEquals(34.0 / 64, q8 / f16, 1e-9);
        assertEquals(18.0 / 64, q4 / f16, 1e-9);
        // 8192 tokens x 131072 bytes = 1 GiB in f16
        assertEquals(1024, f16, 1e-6);
    }

    @Test
    void flashAttentionShrinksLlamaCppsComputeBuffer() {
        Scenario s = scenario("meta-llama/Llama-3.1-8B", Quant.Q4_K_M, Framework.LLAMA_CPP, 32000, 768, null);
        double off = DEFAULT.estimate(s.withOptions(Options.NONE.withFlashAttention(false))).memory().activationMiB();
        double on = DEFAULT.estimate(s.withOptions(Options.NONE.withFlashAttention(true))).memory().activationMiB();
        // without flash attention the buffer holds 32 heads x 32768 keys x 512 queries of f32 scores: 2 GiB
        assertTrue(off > 2048, "no flash attention: " + off);
        assertTrue(on < 300, "flash attention: " + on);
        // since PR 15434 (August 2025) llama.cpp's flash attention is auto, on for CUDA, Metal and CPUs;
        // a May 2024 build (b2795) had it off
        assertEquals(on, DEFAULT.estimate(s).memory().activationMiB(), 1e-9);
        Scenario may2024 = s.withOptions(Options.NONE.withServing(ServingOptions.NONE.withRuntimeVersion(new RuntimeVersion("b2795"))));
        assertEquals(off, DEFAULT.estimate(may2024).memory().activationMiB(), 1e-9);
    }

    @Test
    void vllmTakesItsShareAndGivesTheRestToKvBlocks() {
        Scenario s = scenario("meta-llama/Llama-3.1-8B", Quant.NONE, Framework.VLLM, 1000, 1000, "a100-sxm4-80gb");
        Estimate e = DEFAULT.estimate(s);
        Budget b = e.budget();
        assertNotNull(b);
        // the utilization applies to what CUDA reports (an 80 GB H100 shows 79.22 GiB): the card less the firmware's share
        double visible = 80 * 1024 * (1 - DefaultMethod.INSTANCE.calibration().get(Calibration.Param.GPU_INVISIBLE_FRACTION, null, null));
        assertEquals(0.9 * visible, b.usableMiB(), 1e-6);
        // CUDA graphs and the CUDA context come on top of the budget
        assertEquals(b.usableMiB() + b.pool().cudaGraphsMiB() + b.runtimeContextMiB(), e.memory().totalMiB(), 1e-6);
        // the budget's terms add up: weights, activation peak, non-torch memory, then the pool
        KvPool pool = b.pool();
        assertEquals(pool.budgetMiB(), pool.weightsMiB() + pool.activationPeakMiB() + pool.nonTorchMiB() + pool.kvCacheMiB(), 1e-6);
        assertTrue(b.fits());
        // the KV pool is what the utilization leaves: at 131072 bytes per token, concurrency = pool / (2000 tokens)
        double poolMiB = e.memory().kvCacheMiB();
        assertEquals(Math.floor(poolMiB * 1024 * 1024 / (131072.0 * 2000)), b.maxConcurrency(), 1);
        // fp8 KV cache holds twice the sequences
        Budget fp8 = DEFAULT.estimate(s.withOptions(Options.NONE.withKvCache(KvCacheType.FP8))).budget();
        assertEquals(2 * b.maxConcurrency(), fp8.maxConcurrency(), 1);
        // a lower utilization leaves less
        Budget low = DEFAULT.estimate(s.withOptions(Options.NONE.withGpuMemoryUtilization(0.5))).budget();
        assertTrue(low.maxConcurrency() < b.maxConcurrency() / 2);
    }

    @Test
    void vllmRefusesWhenNoSequenceFits() {
        // Llama-2-70B in fp16 is 138 GB: one 80 GB GPU at 0.9 cannot hold it, two can
        Scenario s = scenario("meta-llama/Llama-2-70b-hf", Quant.NONE, Framework.VLLM, 1000, 1000, "a100-sxm4-80gb");
        Estimate one = DEFAULT.estimate(s);
        assertFalse(one.budget().fits());
        assertEquals(2, one.gpusNeeded());
        assertTrue(DEFAULT.estimate(s.withDeviceCount(2)).budget().fits());
    }

    @Test
    void appleGpuMayWireOnlyPartOfUnifiedMemory() {
        // catalog/measured.csv: 13B F16 on a 16 GB M3 ran out of memory (row 1015); 13B Q4_0 ran (row 1013)
        Estimate f16 = DEFAULT.estimate(scenario("meta-llama/Llama-2-13b-hf", Quant.GGUF_F16, Framework.LLAMA_CPP, 494, 18,
                "m3-10c-16gb"));
        assertFalse(f16.budget().fits());
        Estimate q4 = DEFAULT.estimate(scenario("meta-llama/Llama-2-13b-hf", Quant.Q4_0, Framework.LLAMA_CPP, 494, 18,
                "m3-10c-16gb"));
        assertTrue(q4.budget().fits());
        assertTrue(q4.budget().usableMiB() < 0.75 * 16 * 1024);
        assertNull(q4.gpusNeeded());
    }

    @Test
    void theDriversShareDecidesTightFits() {
        // rows 43 and 44: Llama-3-8B F16 on a 16 GB RTX 4080 ran tg4096 but not tg8192 (build b2795: flash attention off)
        Scenario s = scenario("meta-llama/Meta-Llama-3-8B", Quant.GGUF_F16, Framework.LLAMA_CPP, 1, 4095, "rtx-4080")
                .withOptions(Options.NONE.withServing(ServingOptions.NONE.withRuntimeVersion(new RuntimeVersion("b2795"))));
        assertTrue(DEFAULT.estimate(s).budget().fits());
        assertFalse(DEFAULT.estimate(s.withGenerate(8191)).budget().fits());
    }

    @Test
    void partialOffloadKeepsTheRestInHostMemory() {
        Scenario all = scenario("meta-llama/Llama-3.1-8B", Quant.Q4_K_M, Framework.LLAMA_CPP, 512, 512, "rtx-3060-12gb");
        Scenario half = all.withOptions(Options.NONE.withGpuLayers(16));
        Estimate a = DEFAULT.estimate(all);
        Estimate h = DEFAULT.estimate(half);
        assertTrue(h.memory().weightsMiB() < 0.55 * a.memory().weightsMiB());
        assertEquals(a.memory().kvCacheMiB() / 2, h.memory().kvCacheMiB(), 1e-6);
        assertTrue(h.speed().tokensPerSecond() < a.speed().tokensPerSecond() / 2, "CPU layers run at host bandwidth");
    }

    @Test
    void layerSplitSpreadsWeightsAcrossGpus() {
        Scenario one = scenario("meta-llama/Meta-Llama-3-70B", Quant.Q4_K_M, Framework.LLAMA_CPP, 512, 512, "rtx-4090");
        assertFalse(DEFAULT.estimate(one).budget().fits());
        Estimate two = DEFAULT.estimate(one.withDeviceCount(2));
        assertTrue(two.budget().fits());
        assertEquals(2, DEFAULT.estimate(one).gpusNeeded());
        assertTrue(two.budget().requiredMiB() < 0.6 * DEFAULT.estimate(one).budget().requiredMiB());
    }
}
