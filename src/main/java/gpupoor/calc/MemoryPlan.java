package gpupoor.calc;

import java.util.List;

/**
 * Where a scenario's bytes live: the device totals by component and the most loaded device's
 * share, following each runtime's placement:
 * <ul>
 *   <li>llama.cpp keeps the token embedding in host memory (Metal and CPU map the whole file),
 *       offloads the last {@code -ngl} blocks with their KV cache, the output layer only when
 *       {@code -ngl} exceeds the block count, and reserves a compute buffer on every GPU;</li>
 *   <li>Hugging Face holds the weights, the growing KV cache (reallocated as it grows) and one
 *       prefill's transient peak;</li>
 *   <li>vLLM holds the weights, its profiled activation peak, CUDA graphs and non-torch memory,
 *       and gives the rest of its budget to KV blocks (see {@link FrameworkBudget});</li>
 *   <li>fine-tuning holds the base weights, adapters, gradients, optimizer states and saved activations.</li>
 * </ul>
 * Several devices split weights and KV cache evenly (layer or tensor parallel); data-parallel
 * training replicates everything, sharded training splits weights, gradients and states.
 *
 * @param weights        weight bytes on the device(s), all together
 * @param kv             KV-cache bytes on the device(s) (vLLM: what the workload needs)
 * @param activations    compute buffers / activations on the device(s)
 * @param gradOptimizer  gradients, optimizer states and master weights on the device(s)
 * @param overhead       runtime context and framework reserves on the device(s)
 * @param perDevice      bytes on the most loaded device
 * @param perDeviceFixed bytes on the most loaded device without its KV cache
 * @param kvPerDevice    KV-cache bytes on the most loaded device
 * @param context        runtime (CUDA/Metal) context per device, included in {@code overhead}
 * @param host           bytes llama.cpp keeps in host memory (token embedding, CPU layers and their cache)
 * @param gpuLayers      blocks on the GPU(s)
 * @param notes          placement facts, one line each
 */
public record MemoryPlan(double weights, double kv, double activations, double gradOptimizer, double overhead,
                         double perDevice, double perDeviceFixed, double kvPerDevice, double context, double host,
                         int gpuLayers, List<String> notes) {

    /** Copies the notes ({@link LazyLines} are kept as they are: written when first read). */
    public MemoryPlan {
        notes = notes instanceof LazyLines ? notes : List.copyOf(notes);
    }

    /** Everything on the device(s). */
    public double total() {
        return weights + kv + activations + gradOptimizer + overhead;
    }

    /**
     * The plan of a scenario on {@code devices} devices of its kind ({@code device} null: a bare
     * memory estimate, as if on one GPU).
     *
     * @param training the training state (null for inference)
     */
    public static MemoryPlan of(Scenario s, Architecture a, WeightBytes wb, KvCache kv, TrainingMemory training,
                                Calibration cal, int devices) {
        Workload w = s.workload();
        Hardware d = s.device();
        DeviceClass dc = d == null ? DeviceClass.GPU_GDDR : DeviceClass.of(d, s.options().gpuLayers() == 0);
        boolean gpu = d == null || d.isGpu();
        Framework f = s.framework();
        double context = gpu ? cal.get("cuda_context_mib", f, dc) * MIB : cal.get("runtime_context_mib", f, dc) * MIB;
        if (training != null) {
            double trainContext = gpu ? cal.get("train_overhead_mib", f, dc) * MIB : context;
            return training(s, a, wb, training, cal, devices, trainContext);
        }
        return switch (f) {
            case LLAMA_CPP -> llamaCpp(s, a, wb, kv, devices, context, gpu);
            case VLLM -> vllm(s, a, wb, kv, cal, dc, devices, context);
            case HF -> hf(s, a, wb, kv, cal, dc, devices, context);
        };
    }

    private static final double MIB = 1024 * 1024;

    /** Whether flash attention is on: the option, else the framework default (llama.cpp off, others on). */
    static boolean flash(Scenario s) {
        Boolean fa = s.options().flashAttention();
        return fa != null ? fa : s.framework() != Framework.LLAMA_CPP;
    }

    /** llama.cpp's context: every sequence's prompt and generation, padded. */
    static long llamaCppContext(Scenario s) {
        Workload w = s.workload();
        return KvCache.roundUp((long) w.batch() * w.totalTokens(), flash(s) ? 256 : 32);
    }

    private static MemoryPlan llamaCpp(Scenario s, Architecture a, WeightBytes wb, KvCache kv, int n, double context,
                                       boolean gpu) {
        Workload w = s.workload();
        int layers = a.layers();
        boolean flash = flash(s);
        long nctx = llamaCppContext(s);
        double kvAll = kv.allocated(Framework.LLAMA_CPP, w.totalTokens(), w.batch(), flash);
        int ub = s.options().ubatch();
        if (!gpu) {
            double buffer = Activations.llamaCppBuffer(a, ub, nctx, flash, true);
            List<String> notes = new LazyLines(() -> List.of("llama.cpp maps the whole file (" + mib(wb.total()) + ") into "
                    + (s.device().isApple() ? "unified memory" : "host memory") + "; context " + nctx + " tokens"));
            double perDevice = wb.total() + kvAll + buffer + context;
            return new MemoryPlan(wb.total(), kvAll, buffer, 0, context, perDevice, perDevice - kvAll, kvAll, context,
                    0, layers, notes);
        }
        int ngl = s.options().gpuLayers() < 0 ? layers + 1 : s.options().gpuLayers();
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
                + mib(host) + "); context " + nctx + " tokens",
                "the total counts the CUDA context (" + mib(context) + " per GPU), which llama.cpp's own "
                + "\"VRAM used\" log line leaves out"));
        return new MemoryPlan(layerBytes + out, kvGpu, buffers, 0, n * context, perDevice, perDevice - kvGpu / n,
                kvGpu / n, context, host, gl, notes);
    }

    private static MemoryPlan hf(Scenario s, Architecture a, WeightBytes wb, KvCache kv, Calibration cal, DeviceClass dc,
                                 int n, double context) {
        Workload w = s.workload();
        double growth = w.generateTokens() > 1 ? cal.get("hf_kv_growth", Framework.HF, dc) : 1;
        double kvBytes = growth * kv.allocated(Framework.HF, w.totalTokens(), w.batch(), true);
        double act = Activations.hfPrefill(a, w.batch(), w.promptTokens(), !flash(s));
        double perDevice = (wb.total() + kvBytes) / n + act + context;
        List<String> notes = new LazyLines(() -> List.of(String.format("Hugging Face: KV cache grows with the sequence; "
                + "generate reallocates it as it grows, holding %.2gx the final cache at the peak", growth)));
        return new MemoryPlan(wb.total(), kvBytes, n * act, 0, n * context, perDevice, perDevice - kvBytes / n,
                kvBytes / n, context, 0, a.layers(), notes);
    }

    private static MemoryPlan vllm(Scenario s, Architecture a, WeightBytes wb, KvCache kv, Calibration cal,
                                   DeviceClass dc, int n, double context) {
        Workload w = s.workload();
        int tokens = (int) cal.get("vllm_max_batched_tokens", Framework.VLLM, dc);
        int seqs = (int) cal.get("vllm_max_seqs", Framework.VLLM, dc);
        double act = Activations.vllmProfile(a, tokens, seqs);
        double reserve = (cal.get("vllm_graph_mib", Framework.VLLM, dc) + cal.get("vllm_non_torch_mib", Framework.VLLM, dc)) * MIB;
        double kvBytes = kv.allocated(Framework.VLLM, w.totalTokens(), w.batch(), true);
        double fixed = wb.total() / n + act + reserve + context;
        List<String> notes = new LazyLines(() -> List.of("vLLM: profiled activation peak at " + tokens + " batched tokens ("
                + mib(act) + "), CUDA graphs and non-torch memory " + mib(reserve) + " per GPU"));
        return new MemoryPlan(wb.total(), kvBytes, n * act, 0, n * (reserve + context), fixed + kvBytes / n, fixed,
                kvBytes / n, context, 0, a.layers(), notes);
    }

    private static MemoryPlan training(Scenario s, Architecture a, WeightBytes wb, TrainingMemory tm, Calibration cal,
                                       int n, double context) {
        Workload w = s.workload();
        Options o = s.options();
        boolean full = w.method() == TrainMethod.FULL;
        boolean bnb4 = !full && s.quant() == Quant.BNB_NF4 || w.method() == TrainMethod.QLORA;
        double act = w.batch() * Activations.training(a, w.promptTokens(), full, o.loraTargetList(), w.loraRank(), bnb4,
                Boolean.FALSE.equals(o.flashAttention()), w.gradientCheckpointing(), tm.computeBytes());
        double weights = wb.total() + tm.adapterBytes();
        double state = tm.gradientBytes() + tm.optimizerBytes();
        Options.Parallelism p = o.parallelism() == null ? Options.Parallelism.DATA : o.parallelism();
        double perDevice = switch (p) {
            case DATA -> weights + state + act;
            case SHARDED -> (weights + state) / n + 2 * maxLayer(wb) + act;
            case LAYER, TENSOR -> (weights + state + act) / n;
        } + context;
        double totalWeights = p == Options.Parallelism.DATA ? n * weights : weights;
        double totalState = p == Options.Parallelism.DATA ? n * state : state;
        double totalAct = p == Options.Parallelism.DATA || p == Options.Parallelism.SHARDED ? n * act : act;
        List<String> notes = new LazyLines(() -> List.of(tm.description(),
                String.format("activations of %d sequence(s) of %d tokens: %s%s", w.batch(), w.promptTokens(), mib(act),
                        w.gradientCheckpointing() ? " (gradient checkpointing)" : ""),
                n > 1 ? n + " GPUs, " + p + " parallel" : "one GPU"));
        return new MemoryPlan(totalWeights, 0, totalAct, totalState, n * context, perDevice, perDevice, 0, context, 0,
                a.layers(), notes);
    }

    private static double maxLayer(WeightBytes wb) {
        double m = 0;
        for (int i = 0; i < wb.layers().length; i++) {
            m = Math.max(m, wb.layer(i));
        }
        return m;
    }

    static String mib(double bytes) {
        return NumberText.plain(Math.round(bytes / MIB)) + " MiB";
    }
}
