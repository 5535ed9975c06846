package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;

import java.util.List;

/**
 * MLX (mlx-lm) on Apple Silicon: weights loaded into unified memory (16-bit or MLX's own group
 * quantization), a KV cache that grows in steps of 256 tokens per sequence (mlx-lm's {@code KVCache};
 * {@code kv_bits} 8 or 4 quantizes it in groups of 64, as {@code --kv-cache q8_0} / {@code q4_0}), and the
 * prompt evaluated in steps of 2,048 tokens ({@code prefill_step_size}) through fused attention, whose
 * per-step activations are the transient peak (the logits of a step are never evaluated but the last
 * token's). The GPU may wire what macOS recommends, as for llama.cpp's Metal backend. Its speed
 * efficiencies are priors (no bundled row measures MLX): see {@code catalog/calibration.md}.
 */
final class MlxRuntime extends Runtime {

    /** mlx-lm's KV cache growth step, tokens. */
    static final int STEP = 256;

    /** mlx-lm's {@code prefill_step_size}. */
    static final int PREFILL_STEP = 2048;

    @Override
    Framework framework() {
        return Framework.MLX;
    }

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        if (q.family() != Quant.Family.MLX && q.family() != Quant.Family.FLOAT) {
            throw new InvalidScenarioException("MLX runs 16-bit or MLX-quantized weights: use " + Input.QUANT.ref("mlx-4bit")
                    + ", mlx-8bit or none, not " + q.id());
        }
        Hardware d = s.device();
        if (d != null && !d.isApple()) {
            throw new InvalidScenarioException("MLX runs on Apple Silicon; " + d.id() + " is not an Apple chip: use "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id()));
        }
        if (s.deviceCount() > 1) {
            throw new InvalidScenarioException("MLX is modelled on one Apple chip: use " + Input.DEVICES.ref(1));
        }
    }

    @Override
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return sequences * kv.bytes(KvCache.roundUp(tokens, STEP));
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        double kv = kvAllocated(c.kv(), w.totalTokens(), w.batch(), true);
        double step = Math.min(PREFILL_STEP, (double) w.batch() * w.promptTokens());
        double act = step * (4.0 * a.hidden() + 3.0 * Activations.mlpWidth(a) + a.queryWidth()) * 2 + 4.0 * a.vocab() * w.batch();
        double weights = c.weights().total();
        double context = context(c);
        double perDevice = weights + kv + act + context;
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return List.of(String.format("MLX (%s): weights in unified memory, the cache "
                        + "grown in steps of %d tokens, prompt steps of %d tokens (%s of activations)", framework().release(),
                        STEP, PREFILL_STEP, MemoryPlan.mib(act)));
            }
        };
        return new MemoryPlan(weights, kv, act, 0, context, perDevice, perDevice - kv, kv, context, 0, 0, a.layers(), notes);
    }

    @Override
    int prefillChunk(EstimateContext c) {
        return PREFILL_STEP;
    }
}
