package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;

/**
 * Hugging Face transformers: the weights, the growing KV cache (generate reallocates it as it
 * grows) and one prefill's transient peak; the cache in the weights' compute type, MLA models'
 * keys and values decompressed, sliding windows honoured only when some layers are global.
 */
final class HfRuntime extends Runtime {

    @Override
    Framework framework() {
        return Framework.HF;
    }

    @Override
    void check(Scenario s) {
        requireNotGguf(s);
        Quant q = s.quant();
        if (q == Quant.EXL2 || q.family() == Quant.Family.MLC || q.family() == Quant.Family.MLX) {
            throw new InvalidScenarioException(framework().label() + " does not load " + q.id() + " weights: use "
                    + Input.FRAMEWORK.ref(Framework.defaultFor(q, s.device(), null).id()) + " (inference only)");
        }
    }

    @Override
    KvCacheType cacheType(KvCacheType requested, Quant storage) {
        return storage == Quant.FP32 ? KvCacheType.F32 : KvCacheType.F16;
    }

    @Override
    boolean latentCache() {
        return false;
    }

    @Override
    boolean windowedCache(Architecture a) {
        return a.slidingLayers() < a.attentionLayers();
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        double context = context(c);
        double growth = w.generateTokens() > 1 ? c.cal(Param.HF_KV_GROWTH, c.planClass()) : 1;
        double kvBytes = growth * kvAllocated(c.kv(), w.totalTokens(), w.batch(), true);
        double act = Activations.hfPrefill(a, w.batch(), w.promptTokens(), !c.flash());
        double perDevice = (c.weights().total() + kvBytes) / n + act + context;
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return List.of(String.format("Hugging Face: KV cache grows with the sequence; "
                        + "generate reallocates it as it grows, holding %.2gx the final cache at the peak", growth));
            }
        };
        return new MemoryPlan(c.weights().total(), kvBytes, n * act, 0, n * context, perDevice, perDevice - kvBytes / n,
                kvBytes / n, context, 0, 0, a.layers(), notes);
    }

    /**
     * transformers' generate launches every layer's kernels from Python: {@code dispatch_us} per layer, more
     * with bitsandbytes ({@code bnb_layer_us}: its quantize/dequantize calls) and with auto-gptq's
     * {@code cuda-old} kernel ({@code gptq_layer_us}); on a fast GPU the step waits for this, not for memory.
     */
    @Override
    double dispatchLayerSeconds(EstimateContext c) {
        Quant q = c.s().quant();
        double us = c.cal(Param.DISPATCH_US, c.dc());
        if (q.isBnb()) {
            us += c.cal(Param.BNB_LAYER_US, c.dc());
        }
        if ((q == Quant.GPTQ_INT4 || q == Quant.GPTQ_INT8) && "cuda-old".equals(c.options().serving().gptqKernel())) {
            us += c.cal(Param.GPTQ_LAYER_US, c.dc());
        }
        return us * 1e-6;
    }
}
