package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;

/**
 * Ollama: llama.cpp with Ollama's defaults. It allocates a context of {@code num_ctx} tokens (4,096;
 * {@code --max-model-len}) per parallel request ({@code num_parallel}, 1; {@code --max-num-seqs})
 * whatever the prompt, leaves flash attention off and submits prompts in batches of 512
 * ({@code num_batch}); on a GPU it offloads as many layers as fit unless {@code num_gpu}
 * ({@code --gpu-layers}) says how many.
 */
final class OllamaRuntime extends LlamaCppRuntime {

    /** Ollama's default {@code num_ctx}. */
    static final int NUM_CTX = 4096;

    /** Ollama's default {@code num_batch}. */
    static final int NUM_BATCH = 512;

    @Override
    Framework framework() {
        return Framework.OLLAMA;
    }

    /** Ollama runs llama.cpp: llama.cpp's efficiencies apply. */
    @Override
    Framework calibratedAs() {
        return Framework.LLAMA_CPP;
    }

    @Override
    boolean flashByDefault(Scenario s) {
        return false;
    }

    @Override
    int logicalBatch(Scenario s) {
        Integer b = s.options().serving().logicalBatch();
        return b != null ? b : NUM_BATCH;
    }

    /** {@code num_ctx} per parallel request, at least the scenario's sequence (Ollama truncates longer prompts). */
    @Override
    long contextTokens(Scenario s) {
        Integer c = s.options().serving().maxModelLen();
        Integer parallel = s.options().serving().maxNumSeqs();
        Workload w = s.workload();
        int sequences = Math.max(w.batch(), parallel == null ? 1 : parallel);
        long perSequence = Math.max(c != null ? c : NUM_CTX, c != null ? 0 : w.totalTokens());
        return KvCache.roundUp(perSequence * sequences, flash(s) ? 256 : 32);
    }

    /** {@code num_gpu}: given, else the most layers (all, with the output layer: -1) that fit on the GPU(s). */
    @Override
    int gpuLayersWanted(EstimateContext c, int n) {
        Integer given = c.options().gpuLayers();
        if (given != null || c.device() == null || !c.device().isGpu()) {
            return given == null ? -1 : given;
        }
        double usable = FrameworkBudget.usable(c);
        if (planWith(c, n, -1).perDevice() <= usable) {
            return -1;
        }
        int lo = 0;
        int hi = c.a().layers() + 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            if (planWith(c, n, mid).perDevice() <= usable) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The llama.cpp plan with {@code ngl} layers offloaded. */
    private MemoryPlan planWith(EstimateContext c, int n, int ngl) {
        EstimateContext fixed = new EstimateContext(c.s().withOptions(c.options().withGpuLayers(ngl)), c.runtime(),
                c.facts(), c.storage(), c.weights(), c.kv(), c.training(), c.cal(), c.dc());
        return super.plan(fixed, n);
    }
}
