package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;

/**
 * llama.cpp: it runs GGUF files (unquantized weights are an F16 file), keeps the token embedding in
 * host memory (Metal and CPU map the whole file), offloads the last {@code -ngl} blocks with their
 * KV cache, the output layer only when {@code -ngl} exceeds the block count, reserves a compute
 * buffer on every GPU, and allocates one context of every sequence's tokens, padded to 256 tokens
 * with flash attention, 32 without. It quantizes the V cache only with flash attention. Prompts run
 * in ubatch chunks, which pipeline across the GPUs of a layer split.
 */
final class LlamaCppRuntime extends Runtime {

    @Override
    Framework framework() {
        return Framework.LLAMA_CPP;
    }

    @Override
    Quant storage(Quant q) {
        return q == Quant.NONE ? Quant.GGUF_F16 : q;
    }

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        if (!q.isGguf() && q != Quant.NONE) {
            throw new InvalidScenarioException("llama.cpp runs GGUF files: use " + Input.QUANT.ref("none")
                    + " (an F16 file) or a gguf-* quantization, not " + q.id());
        }
        KvCacheType kv = s.options().kvCache();
        boolean flash = s.options().flashAttention() != null ? s.options().flashAttention()
                : framework().flashAttentionByDefault();
        if (kv != null && kv.isBlockQuantized() && !flash) {
            throw new InvalidScenarioException("llama.cpp quantizes the V cache only with flash attention: "
                    + Input.KV_CACHE.ref(kv.id()) + " needs " + Input.FLASH_ATTENTION.ref("on") + " (or keep the cache f16)");
        }
    }

    /** llama.cpp's context: every sequence's prompt and generation, padded. */
    static long context(Workload w, boolean flash) {
        return KvCache.roundUp((long) w.batch() * w.totalTokens(), flash ? 256 : 32);
    }

    /** One context for all sequences' tokens, and a recurrent state per sequence. */
    @Override
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return kv.attentionBytes(KvCache.roundUp(tokens * sequences, flash ? 256 : 32)) + sequences * kv.stateBytes();
    }

    /** llama.cpp keeps recurrent states in F32. */
    @Override
    double stateElementBytes(Quant storage) {
        return 4;
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        Hardware d = c.device();
        boolean gpu = d == null || d.isGpu();
        double context = context(c);
        int layers = a.layers();
        boolean flash = c.flash();
        long nctx = context(w, flash);
        double kvAll = kvAllocated(c.kv(), w.totalTokens(), w.batch(), flash);
        int ub = c.options().ubatchOrDefault();
        if (!gpu) {
            double buffer = Activations.llamaCppBuffer(a, ub, nctx, flash, true);
            List<String> notes = new LazyLines(() -> List.of("llama.cpp maps the whole file (" + MemoryPlan.mib(wb.total())
                    + ") into " + (d.isApple() ? "unified memory" : "host memory") + "; context " + nctx + " tokens"));
            double perDevice = wb.total() + kvAll + buffer + context;
            return new MemoryPlan(wb.total(), kvAll, buffer, 0, context, perDevice, perDevice - kvAll, kvAll, context,
                    0, layers, notes);
        }
        int ngl = c.options().gpuLayersOrAll() < 0 ? layers + 1 : c.options().gpuLayersOrAll();
        int gl = Math.min(ngl, layers);
        boolean outputOnGpu = ngl > layers;
        double layerBytes = 0;
        for (int i = layers - gl; i < layers; i++) {
            layerBytes += wb.layer(i);
        }
        double globals = wb.outsideLayers() - wb.tokenEmbedding() - wb.head();
        double out = outputOnGpu ? wb.head() + globals + (a.tiedEmbeddings() ? wb.tokenEmbedding() : 0) : 0;
        double kvGpu = kvAll * gl / layers;
        double bufLast = gl > 0 || outputOnGpu ? Activations.llamaCppBuffer(a, ub, nctx, flash, outputOnGpu) : 0;
        double bufOther = gl > 0 ? Activations.llamaCppBuffer(a, ub, nctx, flash, false) : 0;
        double buffers = bufLast + (n - 1) * bufOther;
        double host = wb.tokenEmbedding() + (wb.allLayers() - layerBytes) + (outputOnGpu ? 0 : wb.head() + globals)
                + (kvAll - kvGpu);
        // llama.cpp splits layers in proportion to each GPU's free memory, so the output layer's GPU takes fewer blocks
        double perDevice = (layerBytes + kvGpu + out) / n + bufLast + context;
        List<String> notes = new LazyLines(() -> List.of("llama.cpp: " + gl + " of " + layers + " blocks"
                + (outputOnGpu ? " and the output layer" : "") + " on " + (n > 1 ? n + " GPUs" : "the GPU") + "; token embedding"
                + (gl < layers ? ", the other blocks" : "") + (outputOnGpu ? "" : ", the output layer") + " in host memory ("
                + MemoryPlan.mib(host) + "); context " + nctx + " tokens",
                "the total counts the CUDA context (" + MemoryPlan.mib(context) + " per GPU), which llama.cpp's own "
                + "\"VRAM used\" log line leaves out"));
        return new MemoryPlan(layerBytes + out, kvGpu, buffers, 0, n * context, perDevice, perDevice - kvGpu / n,
                kvGpu / n, context, host, gl, notes);
    }

    @Override
    int prefillChunk(EstimateContext c) {
        return c.options().ubatchOrDefault();
    }

    @Override
    boolean pipelinesPrefill(EstimateContext c, Parallelism p) {
        return p == Parallelism.LAYER && c.s().deviceCount() > 1;
    }

    /** The ubatches of one logical batch ({@code -b}). */
    @Override
    int prefillInFlight(EstimateContext c) {
        return (int) (c.cal(Param.LLAMACPP_N_BATCH, c.dc()) / c.options().ubatchOrDefault());
    }

    /** llama.cpp accumulates in fp16: NVIDIA's int8 rate / 2 is twice the listed fp32-accumulate rate on GeForce cards. */
    @Override
    double gpuPeakTflops(Hardware d, Quant q) {
        return Math.max(Math.max(d.fp16Tflops(), d.int8Tops() / 2), d.fp32Tflops());
    }

    @Override
    int gpuLayers(EstimateContext c, MemoryPlan plan) {
        return c.device().isGpu() ? plan.gpuLayers() : c.a().layers();
    }

    @Override
    boolean outputOnGpu(EstimateContext c) {
        int ngl = c.options().gpuLayersOrAll();
        return !c.device().isGpu() || ngl < 0 || ngl > c.a().layers();
    }
}
