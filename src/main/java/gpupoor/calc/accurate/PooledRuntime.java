package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvPool;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;

import java.util.List;

/**
 * A serving runtime that takes a share of each GPU's memory at start-up and fills what its weights
 * and the other terms that come first leave with a paged KV pool (vLLM, SGLang, TensorRT-LLM,
 * MLC-LLM): the pool must hold one sequence of {@code max_model_len}, and the scenario runs as asked
 * when it holds the whole batch at once. Tensor parallelism splits every layer's heads. A subclass
 * gives its share of memory, the terms before the pool and its block size.
 */
abstract class PooledRuntime extends Runtime {

    /** The share of the GPU's memory the runtime takes when the scenario does not say. */
    abstract double defaultMemoryFraction(EstimateContext c);

    /** The share of the GPU's memory the runtime takes: the option, else its default. */
    final double memoryFraction(EstimateContext c) {
        Double u = c.options().gpuMemoryUtilization();
        return u != null ? u : defaultMemoryFraction(c);
    }

    /** The activation peak the runtime reserves before the pool, on the busiest GPU (0: outside its budget). */
    abstract double activationPeak(EstimateContext c, int tp);

    /** Memory allocated outside PyTorch on each GPU before the pool (none unless the runtime says). */
    double nonTorch(EstimateContext c, int tp) {
        return 0;
    }

    /** CUDA graph memory per GPU, captured after the pool is sized (none unless the runtime says). */
    double cudaGraphs(EstimateContext c) {
        return 0;
    }

    /**
     * A compiled engine's activation workspace (MLC-LLM, TensorRT-LLM): the forward pass of a chunk of
     * {@code max_num_batched_tokens} (given, else {@code defaultTokens}) in 16 bits, and fp32 logits for
     * every batch slot.
     */
    final double compiledWorkspace(EstimateContext c, int tp, int defaultTokens) {
        Architecture a = c.a();
        Integer given = c.options().serving().maxNumBatchedTokens();
        double tokens = given != null ? given : defaultTokens;
        double perToken = 4.0 * a.hidden() + ((double) a.queryWidth() + 2.0 * a.kvHeads() * a.headDim()
                + 3.0 * Activations.mlpWidth(a)) / tp;
        return tokens * perToken * 2 + 4.0 * maxNumSeqs(c) * a.vocab();
    }

    /**
     * Whether the CUDA context counts inside the runtime's budget (SGLang and TensorRT-LLM measure the
     * memory in use after loading; vLLM measures from a baseline taken after the context exists).
     */
    boolean contextInBudget() {
        return false;
    }

    /** Extra weights the runtime reserves (vLLM's LoRA buffers), all devices together. */
    double extraWeights(EstimateContext c) {
        return 0;
    }

    /** The most sequences the scheduler runs at once when the scenario does not say. */
    abstract int defaultMaxNumSeqs(EstimateContext c);

    /** The most sequences the scheduler runs at once: the option, else the runtime's default. */
    final int maxNumSeqs(EstimateContext c) {
        Integer m = c.options().serving().maxNumSeqs();
        return m != null ? m : defaultMaxNumSeqs(c);
    }

    /** The sequence length the pool must hold one of: {@code max_model_len} if given, else the scenario's sequence. */
    static int maxModelLen(EstimateContext c) {
        Integer m = c.options().serving().maxModelLen();
        return m != null ? m : (int) Math.min(Integer.MAX_VALUE, c.w().totalTokens());
    }

    /** Words for the plan's note: the engine and what it reserved. */
    abstract String planWords(EstimateContext c, int tp, double act, double nonTorch, double graphs);

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        if (q.isGguf() || q == Quant.EXL2 || q.family() == Quant.Family.MLC || q.family() == Quant.Family.MLX) {
            throw new InvalidScenarioException(framework().label() + " does not run " + q.id() + " weights: use "
                    + Input.FRAMEWORK.ref(Framework.defaultFor(q, s.device(), s.workload().mode()).id()));
        }
        Hardware d = s.device();
        if (d != null && !d.isGpu()) {
            throw new InvalidScenarioException(framework().label() + " is modelled on GPUs; for " + d.id() + " use "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id()));
        }
    }

    @Override
    boolean splitsHeads(Scenario s) {
        return parallelism(s) == Parallelism.TENSOR;
    }

    @Override
    String deviceCountRule(Architecture a) {
        return headsRule(this, a);
    }

    @Override
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return sequences * kv.bytes(KvCache.roundUp(tokens, poolBlockTokens()));
    }

    /** Tensor-parallel ranks (1 for a layer split). */
    final int tp(EstimateContext c, int n) {
        return parallelism(c.s()) == Parallelism.TENSOR ? n : 1;
    }

    /** The share of each token's KV cache one device holds. */
    private double kvShare(EstimateContext c, int n) {
        int tp = tp(c, n);
        return tp > 1 ? Runtime.kvShare(c.a(), tp) : 1.0 / n;
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        int tp = tp(c, n);
        double context = context(c);
        double weights = c.weights().total() + extraWeights(c);
        double act = activationPeak(c, tp);
        double nonTorch = nonTorch(c, tp);
        double graphs = cudaGraphs(c);
        double kvBytes = kvAllocated(c.kv(), w.totalTokens(), w.batch(), true);
        double inside = contextInBudget() ? context : 0;
        double budgeted = weights / n + act + nonTorch + inside;
        double kvPerDevice = kvBytes * kvShare(c, n);
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return List.of(planWords(c, tp, act, nonTorch, graphs));
            }
        };
        return new MemoryPlan(weights, kvBytes, n * act, 0, n * (nonTorch + graphs + context),
                budgeted + graphs + context - inside + kvPerDevice, budgeted, kvPerDevice, context, 0, 0, a.layers(), notes);
    }

    @Override
    double usableGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return memoryFraction(c) * visibleGpuBytes(c, dc, totalBytes);
    }

    @Override
    boolean poolsKvCache() {
        return true;
    }

    /** The start-up budget: {@code plan.perDeviceFixed()} is what comes before the pool on one device. */
    @Override
    KvPool pool(EstimateContext c, MemoryPlan plan, double usableBytes) {
        int n = c.s().deviceCount();
        int tp = tp(c, n);
        double pool = usableBytes - plan.perDeviceFixed();
        double perToken = c.kv().bytesPerToken() * kvShare(c, n);
        int block = poolBlockTokens();
        long tokens = pool > 0 && perToken > 0 ? (long) Math.floor(pool / (perToken * block)) * block : 0;
        double weights = (c.weights().total() + extraWeights(c)) / n;
        double nonTorch = nonTorch(c, tp) + (contextInBudget() ? context(c) : 0);
        double act = plan.perDeviceFixed() - weights - nonTorch;
        return new KvPool(usableBytes / MIB, weights / MIB, act / MIB, nonTorch / MIB, cudaGraphs(c) / MIB, pool / MIB,
                tokens, maxNumSeqs(c), maxModelLen(c));
    }

    /** Serving runtimes run fp8 weights on the fp8 tensor cores where the GPU has them. */
    @Override
    double gpuPeakTflops(Hardware d, Quant q) {
        return q == Quant.FP8 && d.fp8Tflops() > 0 ? d.fp8Tflops() : super.gpuPeakTflops(d, q);
    }

    /** What the serving runtimes share: flattened for the note of a plan. */
    static String releaseWords(Runtime r, Scenario s) {
        return version(s) == null ? r.framework().release() : "release " + version(s);
    }
}
