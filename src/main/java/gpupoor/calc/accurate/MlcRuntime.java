package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;

/**
 * MLC-LLM: TVM-compiled kernels on CUDA, ROCm, Vulkan and Metal, its own group-quantized weights
 * ({@code q4f16_1} …). It takes {@code gpu_memory_utilization} (0.85) of the GPU; the weights and the
 * temporary buffers of a prefill chunk ({@code prefill_chunk_size}, 2,048 tokens, with logits for
 * {@code max_batch_size} sequences: 4 in its default {@code local} mode) come first and the rest
 * becomes a paged KV pool of 16-token pages. Its efficiencies are priors (no bundled row measures it).
 */
final class MlcRuntime extends PooledRuntime {

    /** MLC's KV page size, tokens. */
    static final int PAGE = 16;

    @Override
    Framework framework() {
        return Framework.MLC;
    }

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        if (q.family() != Quant.Family.MLC && q.family() != Quant.Family.FLOAT) {
            throw new InvalidScenarioException("MLC-LLM runs its own compiled weights: use " + Input.QUANT.ref("mlc-q4f16_1")
                    + ", mlc-q0f16 or none, not " + q.id());
        }
        Hardware d = s.device();
        if (d != null && d.isCpu()) {
            throw new InvalidScenarioException("MLC-LLM is modelled on GPUs and Apple chips; for " + d.id() + " use "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id()));
        }
    }

    @Override
    int poolBlockTokens() {
        return PAGE;
    }

    @Override
    double defaultMemoryFraction(EstimateContext c) {
        return 0.85;
    }

    /** {@code max_batch_size}: 4 (the {@code local} mode). */
    @Override
    int defaultMaxNumSeqs(EstimateContext c) {
        return 4;
    }

    /** A prefill chunk's activations (2,048 tokens) and fp32 logits for every batch slot. */
    @Override
    double activationPeak(EstimateContext c, int tp) {
        return compiledWorkspace(c, tp, 2048);
    }

    @Override
    String planWords(EstimateContext c, int tp, double act, double nonTorch, double graphs) {
        return String.format("MLC-LLM (%s): gpu_memory_utilization %.2f; prefill buffers %s per GPU before the KV pool",
                releaseWords(this, c.s()), memoryFraction(c), MemoryPlan.mib(act));
    }

    @Override
    String gpuRule(EstimateContext c) {
        return String.format("MLC-LLM takes gpu_memory_utilization %.2f of the GPU; what the weights and prefill buffers leave "
                + "is its KV pool, which must hold max_model_len %d and the batch at once", memoryFraction(c), maxModelLen(c));
    }
}
