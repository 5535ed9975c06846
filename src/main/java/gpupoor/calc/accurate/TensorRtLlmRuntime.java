package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.KvPool;

/**
 * TensorRT-LLM: a compiled engine whose weights and activation workspace (sized for
 * {@code max_num_tokens}, 8,192, and logits for {@code max_batch_size}, 2,048 sequences) are allocated
 * first; {@code kv_cache_free_gpu_memory_fraction} (0.9) of the memory still free then becomes a
 * paged KV pool of 32-token blocks. Its efficiencies are priors (no bundled row measures it).
 */
final class TensorRtLlmRuntime extends PooledRuntime {

    /** TensorRT-LLM's {@code tokens_per_block}. */
    static final int BLOCK = 32;

    @Override
    Framework framework() {
        return Framework.TENSORRT_LLM;
    }

    @Override
    int poolBlockTokens() {
        return BLOCK;
    }

    /** The share of the free memory the KV pool takes ({@code kv_cache_free_gpu_memory_fraction}). */
    @Override
    double defaultMemoryFraction(EstimateContext c) {
        return 0.9;
    }

    /** {@code max_batch_size}: 2,048. */
    @Override
    int defaultMaxNumSeqs(EstimateContext c) {
        return 2048;
    }

    /** The engine's workspace: the forward pass of {@code max_num_tokens} (8,192) and fp32 logits for every batch slot. */
    @Override
    double activationPeak(EstimateContext c, int tp) {
        return compiledWorkspace(c, tp, 8192);
    }

    /** The CUDA context is in use before the pool is sized. */
    @Override
    boolean contextInBudget() {
        return true;
    }

    /** The whole GPU as CUDA reports it: the fraction applies to what is free after the engine. */
    @Override
    double usableGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return visibleGpuBytes(c, dc, totalBytes);
    }

    /** The pool is the fraction of the memory left free after the weights, workspace and context. */
    @Override
    KvPool pool(EstimateContext c, MemoryPlan plan, double usableBytes) {
        double free = usableBytes - plan.perDeviceFixed();
        KvPool whole = super.pool(c, plan, plan.perDeviceFixed() + memoryFraction(c) * Math.max(0, free));
        return new KvPool(usableBytes / MIB, whole.weightsMiB(), whole.activationPeakMiB(), whole.nonTorchMiB(),
                whole.cudaGraphsMiB(), free > 0 ? whole.kvCacheMiB() : free / MIB, whole.kvCacheTokens(), whole.maxNumSeqs(),
                whole.maxModelLen());
    }

    @Override
    String planWords(EstimateContext c, int tp, double act, double nonTorch, double graphs) {
        return String.format("TensorRT-LLM (%s): engine workspace %s per GPU; kv_cache_free_gpu_memory_fraction %.2f of the "
                + "memory left free becomes the KV pool", releaseWords(this, c.s()), MemoryPlan.mib(act), memoryFraction(c));
    }

    @Override
    String gpuRule(EstimateContext c) {
        return String.format("TensorRT-LLM gives kv_cache_free_gpu_memory_fraction %.2f of the memory left after its engine "
                + "to the KV pool, which must hold max_model_len %d and the batch at once", memoryFraction(c), maxModelLen(c));
    }
}
