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
 * ExLlama (v1, 2023) and ExLlamaV2: GPTQ (and, for V2, EXL2 and 16-bit) checkpoints on GPUs. The
 * token embedding stays in host memory; the cache is allocated for {@code max_seq_len}
 * ({@code --max-model-len}, else the scenario's sequence) for every sequence of the batch, in 16 bits
 * or (V2) Q8/Q4 blocks; prompts run in chunks of {@code max_input_len} (2,048 tokens), for which it
 * keeps scratch buffers: the chunk's hidden states and MLP intermediates, a 16-bit copy of the largest
 * matrix (quantized matrices are reconstructed for long chunks), without flash attention (V1) the
 * scores of the chunk against the context, and V1's logits for the whole chunk. Several GPUs hold
 * consecutive layers ({@code gpu_split}). Its efficiencies are priors (V2) or fitted on ExLlama's own
 * README rows (V1): see {@code catalog/calibration.md}.
 */
final class ExllamaRuntime extends Runtime {

    /** ExLlama's {@code max_input_len}: the longest prompt chunk. */
    static final int MAX_INPUT_LEN = 2048;

    private final Framework framework;

    ExllamaRuntime(Framework framework) {
        this.framework = framework;
    }

    @Override
    Framework framework() {
        return framework;
    }

    private boolean v1() {
        return framework == Framework.EXLLAMA;
    }

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        boolean ok = q == Quant.GPTQ_INT4 || !v1() && (q == Quant.EXL2 || q == Quant.NONE);
        if (!ok) {
            throw new InvalidScenarioException(framework.label() + " runs " + (v1() ? "GPTQ 4-bit checkpoints: use "
                    + Input.QUANT.ref("gptq-int4") : "EXL2, GPTQ 4-bit and 16-bit checkpoints: use "
                    + Input.QUANT.ref("exl2-4.0") + ", gptq-int4 or none") + ", not " + q.id());
        }
        Hardware d = s.device();
        if (d != null && !d.isGpu()) {
            throw new InvalidScenarioException(framework.label() + " is modelled on GPUs; for " + d.id() + " use "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id()));
        }
    }

    /** The tokens the cache is allocated for per sequence: {@code max_seq_len} if given, else the scenario's. */
    private static long cacheTokens(EstimateContext c) {
        Integer m = c.options().serving().maxModelLen();
        return m != null ? m : c.w().totalTokens();
    }

    /** The scratch buffers for one prompt chunk of the context. */
    private double scratch(EstimateContext c, long context) {
        Architecture a = c.a();
        Workload w = c.w();
        double chunk = Math.min(MAX_INPUT_LEN, (double) w.batch() * w.promptTokens());
        double h = a.hidden();
        double largest = 0;
        for (Architecture.Block b : a.blocks()) {
            for (Tensor t : b.tensors()) {
                if (t.role().matrix()) {
                    largest = Math.max(largest, (double) t.rows() * t.cols());
                }
            }
        }
        double hidden = chunk * (4 * h + 2.0 * Activations.mlpWidth(a)) * 2;
        double scores = c.flash() ? 0 : (double) a.heads() * chunk * Math.min(context, MAX_INPUT_LEN) * 2;
        double logits = (v1() ? chunk : 1) * a.vocab() * 4.0;
        double reconstruct = c.weights().quantizedKernels() ? 2 * largest : 0;
        return hidden + scores + logits + reconstruct;
    }

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Workload w = c.w();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        double context = context(c);
        long tokens = cacheTokens(c);
        double kv = w.batch() * c.kv().bytes(tokens);
        double act = scratch(c, tokens);
        double gpuWeights = wb.total() - wb.tokenEmbedding();
        double perDevice = (gpuWeights + kv) / n + act + context;
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return List.of(String.format("%s (%s): the token embedding (%s) in host memory; "
                                + "cache for %d tokens x %d sequences (%s); scratch for %d-token prompt chunks %s per GPU",
                        framework.label(), framework.release(), MemoryPlan.mib(wb.tokenEmbedding()), tokens, w.batch(),
                        c.kv().type(), MAX_INPUT_LEN, MemoryPlan.mib(act)));
            }
        };
        return new MemoryPlan(gpuWeights, kv, n * act, 0, n * context, perDevice, perDevice - kv / n, kv / n, context,
                wb.tokenEmbedding(), 0, a.layers(), notes);
    }

    @Override
    int prefillChunk(EstimateContext c) {
        return MAX_INPUT_LEN;
    }

    /** ExLlama's reconstruct-then-cuBLAS path and its kernels accumulate in fp16, like llama.cpp's. */
    @Override
    double gpuPeakTflops(Hardware d, Quant q) {
        return Math.max(Math.max(d.fp16Tflops(), d.int8Tops() / 2), d.fp32Tflops());
    }
}
