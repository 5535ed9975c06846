package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;

/**
 * SGLang: {@code mem_fraction_static} of each GPU's memory holds the weights and a token-level KV
 * pool (RadixAttention, one token per page); activations and CUDA graphs use the rest. The share
 * defaults by the GPU's memory (0.88 from 70 GiB, 0.85 from 35, 0.80 from 20, else 0.75: SGLang
 * reserves more on small GPUs; a prior). The CUDA context and library workspaces count inside the
 * share, which is measured against the memory in use after loading.
 */
final class SglangRuntime extends PooledRuntime {

    @Override
    Framework framework() {
        return Framework.SGLANG;
    }

    @Override
    double defaultMemoryFraction(EstimateContext c) {
        Hardware d = c.device();
        double gib = d == null ? 24 : d.memoryGiB();
        return gib >= 70 ? 0.88 : gib >= 35 ? 0.85 : gib >= 20 ? 0.80 : 0.75;
    }

    @Override
    double activationPeak(EstimateContext c, int tp) {
        return 0;
    }

    /** The CUDA context counts inside SGLang's share. */
    @Override
    boolean contextInBudget() {
        return true;
    }

    /** {@code max_running_requests}: what the pool decides (its tokens, capped at 4,096). */
    @Override
    int defaultMaxNumSeqs(EstimateContext c) {
        return 4096;
    }

    @Override
    String planWords(EstimateContext c, int tp, double act, double nonTorch, double graphs) {
        return String.format("SGLang (%s): mem_fraction_static %.2f of each GPU holds the weights, the CUDA context and "
                + "a token-level KV pool; activations and CUDA graphs use the rest", releaseWords(this, c.s()),
                memoryFraction(c));
    }

    @Override
    String gpuRule(EstimateContext c) {
        return String.format("SGLang keeps mem_fraction_static %.2f of each GPU for the weights and its KV pool, which must "
                + "hold max_model_len %d and the batch at once", memoryFraction(c), maxModelLen(c));
    }
}
