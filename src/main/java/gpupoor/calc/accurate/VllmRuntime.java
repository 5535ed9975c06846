package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;

/**
 * vLLM: it takes {@code gpu_memory_utilization} of each GPU; its weights, the activation peak of
 * its profiling pass, CUDA graphs and non-torch memory come first, and the rest becomes a pool of
 * 16-token KV blocks, which must hold at least one sequence of the requested length. Tensor
 * parallelism splits every layer's heads, so the GPU count must divide the attention heads and
 * divide (or be a multiple of) the KV heads.
 */
final class VllmRuntime extends Runtime {

    /** vLLM's KV block size in tokens. */
    static final int BLOCK = 16;

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
        Parallelism p = s.options().parallelism() != null ? s.options().parallelism()
                : s.framework().defaultParallelism(s.workload().mode());
        if (p != Parallelism.TENSOR || n == 1) {
            return true;
        }
        int kv = a.kvHeads();
        return a.heads() % n == 0 && (kv % n == 0 || n % kv == 0);
    }

    @Override
    String deviceCountRule(Architecture a) {
        return "vLLM's tensor parallelism splits the " + a.heads() + " attention heads and " + a.kvHeads()
                + " KV heads evenly";
    }

    @Override
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return sequences * kv.bytes(KvCache.roundUp(tokens, BLOCK));
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        DeviceClass dc = c.planClass();
        double context = context(c);
        int tokens = (int) c.cal(Param.VLLM_MAX_BATCHED_TOKENS, dc);
        int seqs = (int) c.cal(Param.VLLM_MAX_SEQS, dc);
        double act = Activations.vllmProfile(a, tokens, seqs);
        double reserve = (c.cal(Param.VLLM_GRAPH_MIB, dc) + c.cal(Param.VLLM_NON_TORCH_MIB, dc)) * MIB;
        double kvBytes = kvAllocated(c.kv(), w.totalTokens(), w.batch(), true);
        double fixed = c.weights().total() / n + act + reserve + context;
        List<String> notes = new LazyLines(() -> List.of("vLLM: profiled activation peak at " + tokens + " batched tokens ("
                + MemoryPlan.mib(act) + "), CUDA graphs and non-torch memory " + MemoryPlan.mib(reserve) + " per GPU"));
        return new MemoryPlan(c.weights().total(), kvBytes, n * act, 0, n * (reserve + context), fixed + kvBytes / n, fixed,
                kvBytes / n, context, 0, a.layers(), notes);
    }

    @Override
    double usableGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return c.options().gpuMemoryUtilizationOrDefault() * totalBytes;
    }

    @Override
    String gpuRule(EstimateContext c) {
        return "vLLM takes gpu_memory_utilization " + c.options().gpuMemoryUtilizationOrDefault()
                + " of each GPU and gives what weights, activations and graphs leave to the KV pool";
    }

    @Override
    boolean poolsKvCache() {
        return true;
    }

    /** vLLM runs fp8 weights on the fp8 tensor cores where the GPU has them. */
    @Override
    double gpuPeakTflops(Hardware d, Quant q) {
        return q == Quant.FP8 && d.fp8Tflops() > 0 ? d.fp8Tflops() : super.gpuPeakTflops(d, q);
    }
}
