package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.accurate.Calibration.Param;

/**
 * vLLM: it takes {@code gpu_memory_utilization} (0.9) of what CUDA reports as each GPU's memory;
 * its weights (with the LoRA buffers when LoRA is enabled), the activation peak of its profiling
 * pass and the memory allocated outside PyTorch come first, and the rest becomes a pool of 16-token
 * KV blocks. CUDA graphs are captured afterwards, outside that budget; the CUDA context is outside it
 * too. The profiling pass runs {@code max_num_batched_tokens} tokens split over {@code max_num_seqs}
 * sequences and samples one token for each: its peak is the larger of the forward pass's
 * activations and the sampler's full-vocabulary fp32 tensors (logits, the sort of top-p/top-k and its
 * indices, probabilities: {@code vllm_sampler_bytes} per sequence per vocabulary entry) next to the
 * batch's hidden states. Defaults follow the release the scenario describes: the V1 engine (the
 * current one) runs 1,024 sequences and 8,192 tokens per step on GPUs of 70 GiB or more, 256 and
 * 2,048 on smaller ones; V0 ran 256 sequences and {@code max(max_model_len, 2048)} tokens; releases
 * before 0.7.0 counted about 1.8 GiB per rank outside PyTorch.
 */
final class VllmRuntime extends PooledRuntime {

    /** vLLM's KV block size in tokens. */
    static final int BLOCK = 16;

    /** GPUs with at least this much memory get V1's larger default batch (vLLM's "high-end GPU" rule), GiB. */
    private static final double LARGE_GPU_GIB = 70;

    @Override
    Framework framework() {
        return Framework.VLLM;
    }

    @Override
    int poolBlockTokens() {
        return BLOCK;
    }

    @Override
    double defaultMemoryFraction(EstimateContext c) {
        return 0.9;
    }

    // ------------------------------------------------------------------ the release's defaults

    /** Whether the scenario runs the V0 engine: the release says so, or it predates V1 (0.8.0). */
    static boolean v0(Scenario s) {
        RuntimeVersion v = version(s);
        if (v == null) {
            return false;
        }
        if (v.engine() >= 0) {
            return v.engine() == 0;
        }
        return v.hasRelease() ? v.compareRelease(0, 8, 0) < 0 : v.pullRequest() > 0 && v.pullRequest() < 12000;
    }

    /** Whether the release measured non-torch memory before the January 2025 profiler (vLLM 0.7.0, PR 12126). */
    static boolean legacyProfiler(Scenario s) {
        RuntimeVersion v = version(s);
        if (v == null) {
            return false;
        }
        if (v.hasRelease()) {
            return v.compareRelease(0, 7, 0) < 0;
        }
        return v.pullRequest() > 0 && v.pullRequest() < 12126;
    }

    private static boolean largeGpu(EstimateContext c) {
        Hardware d = c.device();
        return d != null && d.memoryGiB() >= LARGE_GPU_GIB;
    }

    /** {@code max_num_seqs}: the release's default. */
    @Override
    int defaultMaxNumSeqs(EstimateContext c) {
        return !v0(c.s()) && largeGpu(c) ? 1024 : 256;
    }

    /** {@code max_num_batched_tokens}: given, else the release's default (V0: the longest sequence, at least 2,048). */
    static int maxNumBatchedTokens(EstimateContext c) {
        Integer m = c.options().serving().maxNumBatchedTokens();
        if (m != null) {
            return m;
        }
        if (v0(c.s())) {
            return Math.max(maxModelLen(c), 2048);
        }
        return largeGpu(c) ? 8192 : 2048;
    }

    // ------------------------------------------------------------------ the terms before the pool

    /**
     * The activation peak of the profiling pass on the busiest device (the one that samples): the
     * forward pass over {@code max_num_batched_tokens} tokens (hidden states, q/k/v and the MLP's gate,
     * up and product in 16 bits, each device its share of the heads and the MLP) or the sampler's
     * full-vocabulary tensors for {@code max_num_seqs} sequences next to the batch's hidden states,
     * whichever is larger.
     */
    @Override
    double activationPeak(EstimateContext c, int tp) {
        Architecture a = c.a();
        double t = maxNumBatchedTokens(c);
        double perToken = 4.0 * a.hidden() + ((double) a.queryWidth() + 2.0 * a.kvHeads() * a.headDim()
                + 3.0 * Activations.mlpWidth(a)) / tp;
        double forward = t * perToken * 2;
        double sampler = (double) maxNumSeqs(c) * a.vocab() * c.cal(Param.VLLM_SAMPLER_BYTES, c.planClass())
                + t * a.hidden() * 2;
        return Math.max(forward, sampler);
    }

    /**
     * The LoRA buffers vLLM reserves when LoRA is enabled, for one adapter slot of rank
     * {@code max_lora_rank}: an A ({@code rank × in}) and a B ({@code out × rank}) matrix per projection
     * of every block and for the embedding and head ({@code rank × (vocab + hidden)} each), 16-bit.
     */
    @Override
    double extraWeights(EstimateContext c) {
        Integer rank = c.options().serving().maxLoraRank();
        if (rank == null) {
            return 0;
        }
        Architecture a = c.a();
        double edges = a.matrixEdgesPerLayer() * a.layers();
        double vocab = 2.0 * (a.vocab() + a.hidden());
        return 2.0 * rank * (edges + vocab);
    }

    /** Library workspaces, and NCCL and all-reduce buffers with tensor parallelism. */
    @Override
    double nonTorch(EstimateContext c, int tp) {
        DeviceClass dc = c.planClass();
        if (legacyProfiler(c.s())) {
            return c.cal(Param.VLLM_NON_TORCH_LEGACY_MIB, dc) * MIB * tp;
        }
        return (c.cal(Param.VLLM_NON_TORCH_MIB, dc) + c.cal(Param.VLLM_NON_TORCH_TP_MIB, dc) * (tp - 1)) * MIB;
    }

    @Override
    double cudaGraphs(EstimateContext c) {
        return Boolean.TRUE.equals(c.options().serving().enforceEager()) ? 0 : c.cal(Param.VLLM_GRAPH_MIB, c.planClass()) * MIB;
    }

    @Override
    String planWords(EstimateContext c, int tp, double act, double nonTorch, double graphs) {
        ServingOptions v = c.options().serving();
        double lora = extraWeights(c);
        return String.format("vLLM (%s, %s): profiling pass of %d tokens over %d sequences, activation peak %s; "
                        + "non-torch memory %s; CUDA graphs %s and the CUDA context %s per GPU outside the budget%s",
                v0(c.s()) ? "V0 engine" : "V1 engine", releaseWords(this, c.s()), maxNumBatchedTokens(c), maxNumSeqs(c),
                MemoryPlan.mib(act), MemoryPlan.mib(nonTorch), MemoryPlan.mib(graphs), MemoryPlan.mib(context(c)),
                lora > 0 ? "; LoRA buffers of rank " + v.maxLoraRank() + " " + MemoryPlan.mib(lora) : "");
    }

    @Override
    String gpuRule(EstimateContext c) {
        return "vLLM takes gpu_memory_utilization " + memoryFraction(c) + " of each GPU's memory as CUDA reports it; "
                + "what weights, the profiled activations and non-torch memory leave is its KV pool, which must hold "
                + "max_model_len " + maxModelLen(c) + " and the batch at once";
    }
}
