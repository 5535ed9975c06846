package gpupoor.calc.accurate;

import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.Interconnect;
import gpupoor.calc.Workload;
import gpupoor.calc.Options;
import gpupoor.calc.Ddr;
import gpupoor.calc.Quant;
import gpupoor.calc.Framework;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Estimate;
import gpupoor.calc.Bound;

import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Speed: physics that must hold (accuracy on the measurements is reported by {@code validate}, not gated here). */
class DefaultSpeedTest {

    private static final Method DEFAULT = Methods.DEFAULT;

    private static Scenario scenario(String model, Quant q, Framework f, int prompt, int gen, String device) {
        Catalog c = Catalog.get();
        return new Scenario(c.model(model), q, f, Workload.inference(prompt, gen), c.hardware(device), 1, null,
                Options.NONE);
    }

    @Test
    void decodeSlowsAsTheCacheGrowsAndWithMoreBytes() {
        Scenario s = scenario("meta-llama/Meta-Llama-3-8B", Quant.Q4_K_M, Framework.LLAMA_CPP, 1, 512, "rtx-4090");
        double short1 = DEFAULT.estimate(s).speed().tokensPerSecond();
        double long1 = DEFAULT.estimate(s.withGenerate(8192)).speed().tokensPerSecond();
        double f16 = DEFAULT.estimate(s.withQuant(Quant.GGUF_F16)).speed().tokensPerSecond();
        assertTrue(long1 < short1);
        assertTrue(f16 < short1 / 2);
        // a faster memory system decodes faster
        double slow = DEFAULT.estimate(s.withDevice(Catalog.get().hardware("rtx-4060"))).speed().tokensPerSecond();
        assertTrue(slow < short1 / 2);
    }

    @Test
    void mixtureOfExpertsReadsOnlyTheActiveExperts() {
        Scenario moe = scenario("Qwen/Qwen3-30B-A3B", Quant.Q4_K_M, Framework.LLAMA_CPP, 1, 256, "rtx-3090");
        Scenario dense = scenario("Qwen/Qwen3-32B", Quant.Q4_K_M, Framework.LLAMA_CPP, 1, 256, "rtx-3090");
        assertTrue(DEFAULT.estimate(moe).speed().tokensPerSecond() > 3 * DEFAULT.estimate(dense).speed().tokensPerSecond());
    }

    @Test
    void largeBatchesBecomeComputeBound() {
        Scenario s = scenario("meta-llama/Llama-3.1-8B", Quant.NONE, Framework.VLLM, 128, 128, "h100-sxm5-80gb");
        assertEquals(Bound.MEMORY, DEFAULT.estimate(s).speed().bound());
        Estimate big = DEFAULT.estimate(s.withBatch(512));
        assertEquals(Bound.COMPUTE, big.speed().bound());
        // aggregate throughput still grows with the batch
        assertTrue(512 * big.speed().tokensPerSecond() > 50 * DEFAULT.estimate(s).speed().tokensPerSecond());
    }

    @Test
    void tensorParallelSplitsTheBytes() {
        Scenario s = scenario("meta-llama/Llama-3.1-70B", Quant.NONE, Framework.VLLM, 512, 512, "h100-sxm5-80gb")
                .withOptions(Options.NONE.withServing(ServingOptions.NONE.withInterconnect(Interconnect.NVLINK)));
        double two = DEFAULT.estimate(s.withDeviceCount(2)).speed().tokensPerSecond();
        double four = DEFAULT.estimate(s.withDeviceCount(4)).speed().tokensPerSecond();
        assertTrue(four > 1.5 * two);
    }

    @Test
    void allReducesOverPcieCostMoreWithEveryGpu() {
        // an 8B model at batch 1 on RTX 4090s: over PCIe each of the 64 all-reduces per step pays a latency that grows
        // with the GPUs, so four GPUs gain far less than four times the bandwidth
        Scenario s = scenario("meta-llama/Llama-3.1-8B", Quant.NONE, Framework.VLLM, 512, 512, "rtx-4090");
        double one = DEFAULT.estimate(s).speed().msPerToken();
        double pcie4 = DEFAULT.estimate(s.withDeviceCount(4)).speed().msPerToken();
        double nvlink4 = DEFAULT.estimate(s.withDeviceCount(4).withOptions(Options.NONE.withServing(
                ServingOptions.NONE.withInterconnect(Interconnect.NVLINK)))).speed().msPerToken();
        assertTrue(pcie4 > one / 4 * 1.5, "PCIe: " + pcie4 + " ms against " + one + " on one GPU");
        assertTrue(nvlink4 < pcie4, "NVLink " + nvlink4 + " ms, PCIe " + pcie4);
        double ar = DefaultMethod.INSTANCE.calibration().get(Calibration.Param.ALLREDUCE_PCIE_US, Framework.VLLM, null);
        // 2 all-reduces per layer x 32 layers x 3 extra GPUs x the per-GPU latency, at least; each moves 3/4 of a
        // token's activations (12 KiB in fp16), at most 2.5 us even over the 5 GB/s a link without NVLink may fall back to
        double nvl = DefaultMethod.INSTANCE.calibration().get(Calibration.Param.ALLREDUCE_NVLINK_US, Framework.VLLM, null);
        assertTrue(pcie4 - nvlink4 > 64 * (3 * ar - nvl - 2.5) * 1e-3, "PCIe " + pcie4 + " ms, NVLink " + nvlink4);
    }

    @Test
    void prefillGrowsQuadraticallyWithTheAttention() {
        Scenario s = scenario("meta-llama/Meta-Llama-3-8B", Quant.Q4_K_M, Framework.LLAMA_CPP, 512, 1, "rtx-4090");
        double rate512 = 512 / DEFAULT.estimate(s).speed().promptSeconds();
        double rate8k = 8192 / DEFAULT.estimate(s.withPrompt(8192)).speed().promptSeconds();
        assertTrue(rate8k < 0.8 * rate512);
    }

    @Test
    void anEagerRuntimesShortPromptWaitsForItsDispatchLikeADecodeStep() {
        // transformers launches the same kernels per layer for a 128-token prompt as for one decode step: on an
        // H200 the prompt cannot finish before the CPU has dispatched them, so it takes no less than a step
        Scenario s = scenario("meta-llama/Llama-3.2-1B", Quant.NONE, Framework.HF, 128, 64, "h200-sxm-141gb");
        Estimate e = DEFAULT.estimate(s);
        assertTrue(e.speed().promptSeconds() >= e.speed().msPerToken() / 1000);
        // a long prompt is the GPU's work again: more tokens per second than the short one
        Estimate longer = DEFAULT.estimate(s.withPrompt(8192));
        assertTrue(8192 / longer.speed().promptSeconds() > 10 * 128 / e.speed().promptSeconds());
    }

    @Test
    void cpuDecodeFollowsTheDdrGeneration() {
        Catalog c = Catalog.get();
        Scenario s = new Scenario(c.model("meta-llama/Llama-2-7b-hf"), Quant.Q4_0, Framework.LLAMA_CPP,
                Workload.inference(128, 128), c.hardware("ryzen-9-7950x"), 1, Ddr.DDR5, Options.NONE);
        Estimate e = DEFAULT.estimate(s);
        assertTrue(e.speed().tokensPerSecond() > 1 && e.speed().tokensPerSecond() < 40);
        assertEquals(null, e.budget().fits());
    }
}
