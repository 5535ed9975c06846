package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvPool;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;

/**
 * vLLM: it takes {@code gpu_memory_utilization} of what CUDA reports as each GPU's memory; its
 * weights (with the LoRA buffers when LoRA is enabled), the activation peak of its profiling pass and
 * the memory allocated outside PyTorch come first, and the rest becomes a pool of 16-token KV blocks,
 * which must hold one sequence of {@code max_model_len} (the scenario's sequence unless given) and,
 * for the scenario to run as asked, its whole batch at once. CUDA graphs are captured afterwards,
 * outside that budget; the CUDA context is outside it too. The profiling pass runs
 * {@code max_num_batched_tokens} tokens split over {@code max_num_seqs} sequences and samples one
 * token for each: its peak is the larger of the forward pass's activations and the sampler's
 * full-vocabulary fp32 tensors (logits, the sort of top-p/top-k and its indices, probabilities:
 * {@code vllm_sampler_bytes} per sequence per vocabulary entry) next to the batch's hidden states.
 * Defaults follow the release the scenario describes: the V1 engine (the current one) runs 1,024
 * sequences and 8,192 tokens per step on GPUs of 70 GiB or more and 256 and 2,048 on smaller ones;
 * V0 ran 256 sequences and {@code max(max_model_len, 2048)} tokens. Tensor parallelism splits
 * every layer's heads, so the GPU count must divide the attention heads and divide (or be a multiple
 * of) the KV heads.
 */
final class VllmRuntime extends Runtime {

    /** vLLM's KV block size in tokens. */
    static final int BLOCK = 16;

    /** GPUs with at least this much memory get V1's larger default batch (vLLM's "high-end GPU" rule), GiB. */
    private static final double LARGE_GPU_GIB = 70;

    @Override
    Framework framework() {
        return Framework.VLLM;
    }

    @Override
    void check(Scenario s) {
        requireNotGguf(s);
        Hardware d = s.device();
        if (d != null && !d.isGpu()) {
            throw new InvalidScenarioException("vLLM is modelled on GPUs; for " + d.id() + " use "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id()) + " or hf");
        }
    }

    @Override
    boolean acceptsDeviceCount(Scenario s, Architecture a, int n) {
        return parallelism(s) != Parallelism.TENSOR || headsDivide(a, n);
    }

    @Override
    String deviceCountRule(Architecture a) {
        return headsRule(this, a);
    }

    @Override
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return sequences * kv.bytes(KvCache.roundUp(tokens, BLOCK));
    }

    @Override
    int poolBlockTokens() {
        return BLOCK;
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

    /** The sequence length the pool must hold one of: {@code max_model_len} if given, else the scenario's sequence. */
    static int maxModelLen(EstimateContext c) {
        Integer m = c.options().serving().maxModelLen();
        return m != null ? m : (int) Math.min(Integer.MAX_VALUE, c.w().totalTokens());
    }

    private static boolean largeGpu(EstimateContext c) {
        Hardware d = c.device();
        return d != null && d.memoryGiB() >= LARGE_GPU_GIB;
    }

    /** {@code max_num_seqs}: given, else the release's default. */
    static int maxNumSeqs(EstimateContext c) {
        Integer m = c.options().serving().maxNumSeqs();
        if (m != null) {
            return m;
        }
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

    // ------------------------------------------------------------------ memory

    /** Tensor-parallel ranks (1 for a layer split). */
    private int tp(EstimateContext c, int n) {
        return parallelism(c.s()) == Parallelism.TENSOR ? n : 1;
    }

    /**
     * The activation peak of the profiling pass on the busiest device (the one that samples):
     * the forward pass over {@code tokens} tokens (hidden states, q/k/v and the MLP's gate, up and
     * product in 16 bits, each device its share of the heads and the MLP) or the sampler's
     * full-vocabulary tensors for {@code seqs} sequences next to the batch's hidden states, whichever is larger.
     */
    static double profilePeak(EstimateContext c, Architecture a, int tokens, int seqs, int tp) {
        double t = tokens;
        double perToken = 4.0 * a.hidden() + ((double) a.queryWidth() + 2.0 * a.kvHeads() * a.headDim()
                + 3.0 * Activations.mlpWidth(a)) / tp;
        double forward = t * perToken * 2;
        double sampler = (double) seqs * a.vocab() * c.cal(Param.VLLM_SAMPLER_BYTES, c.planClass()) + t * a.hidden() * 2;
        return Math.max(forward, sampler);
    }

    /**
     * The LoRA buffers vLLM reserves when LoRA is enabled, for one adapter slot of rank {@code rank}:
     * an A ({@code rank × in}) and a B ({@code out × rank}) matrix per projection of every block
     * (q, k, v, o, gate, up, down) and for the embedding and head ({@code rank × (vocab + hidden)} each),
     * 16-bit.
     */
    static double loraBuffers(Architecture a, int rank) {
        double edges = a.matrixEdgesPerLayer() * a.layers();
        double vocab = 2.0 * (a.vocab() + a.hidden());
        return 2.0 * rank * (edges + vocab);
    }

    /** Memory vLLM allocates outside PyTorch on each GPU: library workspaces, and NCCL and all-reduce buffers with tensor parallelism. */
    static double nonTorch(EstimateContext c, int tp) {
        DeviceClass dc = c.planClass();
        if (legacyProfiler(c.s())) {
            return c.cal(Param.VLLM_NON_TORCH_LEGACY_MIB, dc) * MIB * tp;
        }
        return (c.cal(Param.VLLM_NON_TORCH_MIB, dc) + c.cal(Param.VLLM_NON_TORCH_TP_MIB, dc) * (tp - 1)) * MIB;
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        DeviceClass dc = c.planClass();
        int tp = tp(c, n);
        double context = context(c);
        ServingOptions v = c.options().serving();
        double lora = v.maxLoraRank() == null ? 0 : loraBuffers(a, v.maxLoraRank());
        double weights = c.weights().total() + lora;
        int tokens = maxNumBatchedTokens(c);
        int seqs = maxNumSeqs(c);
        double act = profilePeak(c, a, tokens, seqs, tp);
        double nonTorch = nonTorch(c, tp);
        double graphs = Boolean.TRUE.equals(v.enforceEager()) ? 0 : c.cal(Param.VLLM_GRAPH_MIB, dc) * MIB;
        double kvShare = tp > 1 ? kvShare(a, tp) : 1.0 / n;
        double kvBytes = kvAllocated(c.kv(), w.totalTokens(), w.batch(), true);
        double budgeted = weights / n + act + nonTorch;
        double fixed = budgeted + graphs + context;
        double kvPerDevice = kvBytes * kvShare;
        List<String> notes = new LazyLines(() -> List.of(String.format("vLLM (%s%s): profiling pass of %d tokens over %d "
                        + "sequences, activation peak %s; non-torch memory %s; CUDA graphs %s and the CUDA context %s per GPU "
                        + "outside the budget%s", v0(c.s()) ? "V0 engine" : "V1 engine",
                version(c.s()) == null ? ", " + framework().release() : ", release " + version(c.s()), tokens, seqs,
                MemoryPlan.mib(act), MemoryPlan.mib(nonTorch), MemoryPlan.mib(graphs), MemoryPlan.mib(context),
                lora > 0 ? "; LoRA buffers of rank " + v.maxLoraRank() + " " + MemoryPlan.mib(lora) : "")));
        return new MemoryPlan(weights, kvBytes, n * act, 0, n * (nonTorch + graphs + context), fixed + kvPerDevice,
                budgeted, kvPerDevice, context, 0, 0, a.layers(), notes);
    }

    @Override
    double usableGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return c.options().gpuMemoryUtilizationOrDefault() * visibleGpuBytes(c, dc, totalBytes);
    }

    @Override
    String gpuRule(EstimateContext c) {
        return "vLLM takes gpu_memory_utilization " + c.options().gpuMemoryUtilizationOrDefault()
                + " of each GPU's memory as CUDA reports it; what weights, the profiled activations and non-torch "
                + "memory leave is its KV pool, which must hold max_model_len " + maxModelLen(c) + " and the batch at once";
    }

    @Override
    boolean poolsKvCache() {
        return true;
    }

    /** The start-up budget: {@code plan.perDeviceFixed()} is what comes before the pool on one device. */
    @Override
    KvPool pool(EstimateContext c, MemoryPlan plan, double usableBytes) {
        Architecture a = c.a();
        int n = c.s().deviceCount();
        int tp = tp(c, n);
        double kvShare = tp > 1 ? kvShare(a, tp) : 1.0 / n;
        double pool = usableBytes - plan.perDeviceFixed();
        double perToken = c.kv().bytesPerToken() * kvShare;
        long tokens = pool > 0 && perToken > 0 ? (long) Math.floor(pool / (perToken * BLOCK)) * BLOCK : 0;
        double graphs = Boolean.TRUE.equals(c.options().serving().enforceEager()) ? 0 : c.cal(Param.VLLM_GRAPH_MIB, c.planClass());
        ServingOptions v = c.options().serving();
        double lora = v.maxLoraRank() == null ? 0 : loraBuffers(a, v.maxLoraRank());
        double weights = (c.weights().total() + lora) / n;
        double nonTorch = nonTorch(c, tp);
        double act = plan.perDeviceFixed() - weights - nonTorch;
        return new KvPool(usableBytes / MIB, weights / MIB, act / MIB, nonTorch / MIB, graphs, pool / MIB, tokens,
                maxNumSeqs(c), maxModelLen(c));
    }

    /** vLLM runs fp8 weights on the fp8 tensor cores where the GPU has them. */
    @Override
    double gpuPeakTflops(Hardware d, Quant q) {
        return q == Quant.FP8 && d.fp8Tflops() > 0 ? d.fp8Tflops() : super.gpuPeakTflops(d, q);
    }
}
