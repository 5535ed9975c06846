package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.SplitMode;
import gpupoor.calc.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp: it runs GGUF files (unquantized weights are an F16 file) and maps the file into host
 * memory. The last {@code -ngl} blocks go to the GPU(s) with their KV cache, the output layer only
 * when {@code -ngl} exceeds the block count; the token embedding and the blocks left stay on the CPU,
 * whose backend copies Q4_0, Q4_K and IQ4_NL matrices into an interleaved layout
 * ({@code CPU_REPACK}) while the file stays mapped. Every device reserves a compute buffer, the host
 * an output buffer of logits. One context holds every sequence's tokens ({@code -c} when given),
 * padded to 256 tokens with flash attention, 32 without; sliding-window layers hold their window
 * and one ubatch. The V cache is quantized only with flash attention. Prompts run in ubatch chunks,
 * which pipeline across the GPUs of a layer split; with layers left on the CPU, chunks of 32 tokens
 * or more run on the GPU, the CPU layers' weights streamed over PCIe.
 * <p>
 * Defaults follow the current release and change with an older {@link RuntimeVersion}: flash
 * attention {@code auto} (on for CUDA, Metal and CPUs) since PR 15434 (August 2025), off before;
 * several GPUs split by layers since PR 4766 (January 2024), by rows before; a logical batch
 * {@code -b} of 2,048 since PR 6017 (March 2024), 512 before; sliding-window layers sized to their
 * window since PR 13194 (May 2025), to the whole context before.
 */
class LlamaCppRuntime extends Runtime {

    /** Chunks of at least this many tokens run on the GPU even for layers kept on the CPU (ggml's op offload). */
    static final int OFFLOAD_MIN_BATCH = 32;

    @Override
    Framework framework() {
        return Framework.LLAMA_CPP;
    }

    @Override
    Quant storage(Quant q) {
        return q == Quant.NONE ? Quant.GGUF_F16 : q == Quant.FP32 ? Quant.GGUF_F32 : q;
    }

    @Override
    void check(Scenario s) {
        Quant q = s.quant();
        if (!q.isGguf() && q != Quant.NONE && q != Quant.FP32) {
            throw new InvalidScenarioException(framework().label() + " runs GGUF files: use " + Input.QUANT.ref("none")
                    + " (an F16 file) or a gguf-* quantization, not " + q.id());
        }
        KvCacheType kv = s.options().kvCache();
        if (kv != null && kv.isBlockQuantized() && !flash(s)) {
            throw new InvalidScenarioException(framework().label() + " quantizes the V cache only with flash attention: "
                    + Input.KV_CACHE.ref(kv.id()) + " needs " + Input.FLASH_ATTENTION.ref("on") + " (or keep the cache f16)");
        }
        SplitMode given = s.options().serving().splitMode();
        Parallelism p = s.options().parallelism();
        if (given != null && p != null && given.parallelism() != p) {
            throw new InvalidScenarioException(Input.SPLIT_MODE.ref(given) + " and " + Input.PARALLELISM.ref(p)
                    + " disagree: llama.cpp's row and tensor splits are tensor parallel, its layer split is layer parallel");
        }
    }

    // ------------------------------------------------------------------ the release's defaults

    /**
     * Whether the release the scenario describes predates a change: a build before {@code build}, a
     * pull request's branch older than {@code pr}, or a date before {@code month} (year × 12 + month − 1).
     */
    static boolean before(Scenario s, int build, int pr, int month) {
        RuntimeVersion v = version(s);
        if (v == null) {
            return false;
        }
        if (v.build() >= 0) {
            return v.build() < build;
        }
        if (v.pullRequest() >= 0) {
            return v.pullRequest() < pr;
        }
        return v.month() >= 0 && v.month() < month;
    }

    @Override
    boolean flashByDefault(Scenario s) {
        return !before(s, 6325, 15434, 2025 * 12 + 8);
    }

    /** The split over several GPUs: given, else the parallelism given, else the release's default. */
    SplitMode splitMode(Scenario s) {
        SplitMode m = s.options().serving().splitMode();
        if (m != null) {
            return m;
        }
        Parallelism p = s.options().parallelism();
        if (p != null) {
            return p == Parallelism.TENSOR ? SplitMode.TENSOR : SplitMode.LAYER;
        }
        return before(s, 1787, 4766, 2024 * 12) ? SplitMode.ROW : SplitMode.LAYER;
    }

    @Override
    Parallelism parallelism(Scenario s) {
        return s.workload().isTraining() ? super.parallelism(s) : splitMode(s).parallelism();
    }

    @Override
    boolean rowSplit(Scenario s) {
        return splitMode(s) == SplitMode.ROW;
    }

    @Override
    boolean splitsHeads(Scenario s) {
        return splitMode(s) == SplitMode.TENSOR;
    }

    @Override
    String deviceCountRule(Architecture a) {
        return headsRule(this, a);
    }

    /** The logical batch {@code -b}: given, else the release's default. */
    int logicalBatch(Scenario s) {
        Integer b = s.options().serving().logicalBatch();
        if (b != null) {
            return b;
        }
        return before(s, 2400, 6017, 2024 * 12 + 2) ? 512 : (int) DEFAULT_LOGICAL_BATCH;
    }

    /** llama.cpp's default {@code -b} since March 2024. */
    private static final double DEFAULT_LOGICAL_BATCH = 2048;

    /** The physical batch {@code -ub}: given, else 512, never more than the logical batch. */
    int ubatch(Scenario s) {
        return Math.min(s.options().ubatchOrDefault(), logicalBatch(s));
    }

    /** Whether sliding-window layers hold only their window and a ubatch (since PR 13194, May 2025). */
    boolean windowedSwa(Scenario s) {
        return !before(s, 5300, 13194, 2025 * 12 + 4);
    }

    // ------------------------------------------------------------------ the context and its cache

    /** llama.cpp's context: {@code -c} if given, else every sequence's prompt and generation; padded. */
    long contextTokens(Scenario s) {
        Integer c = s.options().serving().maxModelLen();
        Workload w = s.workload();
        long tokens = c != null ? c : (long) w.batch() * w.totalTokens();
        return KvCache.roundUp(tokens, flash(s) ? 256 : 32);
    }

    /** KV cells a sliding-window layer holds: its window per sequence and one ubatch, padded to 256 (at most the context). */
    long slidingCells(Scenario s, KvCache kv, long context) {
        if (kv.window() <= 0 || !windowedSwa(s)) {
            return context;
        }
        long cells = KvCache.roundUp((long) kv.window() * s.workload().batch() + ubatch(s), 256);
        return Math.min(context, cells);
    }

    /** The KV cache bytes of the whole context. */
    double kvBytes(EstimateContext c, long context) {
        KvCache kv = c.kv();
        return kv.fullBytesPerToken() * context + kv.slidingBytesPerToken() * slidingCells(c.s(), kv, context);
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

    // ------------------------------------------------------------------ placement

    @Override
    MemoryPlan plan(EstimateContext c, int n) {
        Scenario s = c.s();
        Workload w = c.w();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        Hardware d = c.device();
        boolean gpu = d == null || d.isGpu();
        int layers = a.layers();
        boolean flash = c.flash();
        int ub = ubatch(s);
        long nctx = contextTokens(s);
        double kvAll = kvBytes(c, nctx);
        double output = Activations.llamaCppOutput(a, w.batch());
        boolean mmap = !Boolean.TRUE.equals(c.options().serving().noMmap());
        if (!gpu) {
            return hostPlan(c, wb, kvAll, output, ub, nctx, flash, mmap);
        }
        double context = context(c);
        int wanted = gpuLayersWanted(c, n);
        int ngl = wanted < 0 ? layers + 1 : wanted;
        int gl = Math.min(ngl, layers);
        boolean outputOnGpu = ngl > layers;
        double layerBytes = wb.layers(layers - gl, layers);
        double globals = wb.outsideLayers() - wb.tokenEmbedding() - wb.head();
        double out = outputOnGpu ? wb.head() + globals + (a.tiedEmbeddings() ? wb.tokenEmbedding() : 0) : 0;
        double kvGpu = kvAll * gl / layers;
        double bufLast = gl > 0 || outputOnGpu ? Activations.llamaCppBuffer(a, ub, nctx, flash, outputOnGpu) : 0;
        double bufOther = gl > 0 ? Activations.llamaCppBuffer(a, ub, nctx, flash, false) : 0;
        SplitMode split = splitMode(s);
        double buffers;
        double perDevice;
        if (n > 1 && split == SplitMode.ROW) {
            // every matrix split by rows; the main GPU gathers the products and holds the compute buffer
            // (the KV cache and other tensors spread like the layer split's since PR 10026, on the main GPU before)
            boolean kvSpread = !before(s, 3990, 10026, 2024 * 12 + 10);
            buffers = bufLast;
            perDevice = (layerBytes + out) / n + (kvSpread ? kvGpu / n : kvGpu) + bufLast + context;
        } else if (n > 1 && split == SplitMode.TENSOR) {
            buffers = n * bufLast;
            perDevice = (layerBytes + out + kvGpu) / n + bufLast + context;
        } else {
            // llama.cpp splits layers in proportion to each GPU's free memory, so the output layer's GPU takes fewer blocks
            buffers = bufLast + (n - 1) * bufOther;
            perDevice = (layerBytes + kvGpu + out) / n + bufLast + context;
        }
        double kvPerDevice = n > 1 && split == SplitMode.ROW && before(s, 3990, 10026, 2024 * 12 + 10) ? kvGpu : kvGpu / n;
        // host: the token embedding and what stays on the CPU, mapped from the file (read in without mmap),
        // the CPU layers' repacked copies, their cache and compute buffer, and the output buffer
        double hostWeights = wb.tokenEmbedding() + (wb.allLayers() - layerBytes) + (outputOnGpu ? 0 : wb.head() + globals);
        double repack = wb.repacked(0, layers - gl) + (outputOnGpu ? 0 : wb.repackOutside());
        double hostBuffer = gl < layers || !outputOnGpu ? Activations.llamaCppBuffer(a, ub, nctx, flash, !outputOnGpu)
                : 4.0 * ub * a.hidden();
        double hostAllocated = repack + (kvAll - kvGpu) + hostBuffer + output + (mmap ? 0 : hostWeights);
        double hostMapped = mmap ? hostWeights : 0;
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                List<String> l = new ArrayList<>();
                l.add(framework().label() + ": " + gl + " of " + layers + " blocks" + (outputOnGpu ? " and the output layer" : "")
                        + " on " + (n > 1 ? n + " GPUs (" + split + " split)" : "the GPU") + "; context " + nctx + " tokens"
                        + (kvAll > 0 && a.slidingLayers() > 0 && windowedSwa(s) ? " (sliding layers " + slidingCells(s, c.kv(), nctx) + ")" : "")
                        + ", ubatch " + ub + ", flash attention " + (flash ? "on" : "off") + releaseWords(s));
                l.add(String.format("host memory: %s mapped from the file (token embedding%s%s), %s allocated (%s%sthe output "
                                + "buffer %s, the host compute buffer %s)", MemoryPlan.mib(hostMapped),
                        gl < layers ? ", " + (layers - gl) + " CPU blocks" : "", outputOnGpu ? "" : ", the output layer",
                        MemoryPlan.mib(hostAllocated), repack > 0 ? "CPU_REPACK copies " + MemoryPlan.mib(repack) + ", " : "",
                        kvAll > kvGpu ? "the CPU blocks' KV " + MemoryPlan.mib(kvAll - kvGpu) + ", " : "", MemoryPlan.mib(output),
                        MemoryPlan.mib(hostBuffer)));
                l.add("the total counts the CUDA context (" + MemoryPlan.mib(context) + " per GPU), which llama.cpp's own "
                        + "\"VRAM used\" log line leaves out");
                return l;
            }
        };
        return new MemoryPlan(layerBytes + out, kvGpu, buffers, 0, n * context, perDevice, perDevice - kvPerDevice,
                kvPerDevice, context, hostAllocated, hostMapped, gl, notes);
    }

    /**
     * A CPU or an Apple chip: the whole file mapped (Metal uses the mapping in place), on a CPU the
     * repacked copies beside it, the KV cache, the compute and output buffers.
     */
    private MemoryPlan hostPlan(EstimateContext c, WeightBytes wb, double kvAll, double output, int ub, long nctx,
                                boolean flash, boolean mmap) {
        Scenario s = c.s();
        Architecture a = c.a();
        Hardware d = c.device();
        double context = context(c);
        boolean cpuBackend = c.dc() == DeviceClass.CPU || c.dc() == DeviceClass.APPLE_CPU;
        double repack = cpuBackend ? wb.repacked(0, a.layers()) + wb.repackOutside() : 0;
        double buffer = Activations.llamaCppBuffer(a, ub, nctx, flash, true);
        double perDevice = wb.total() + repack + kvAll + buffer + output + context;
        double mapped = mmap ? wb.total() : 0;
        double allocated = perDevice - mapped - context;
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return List.of(String.format("%s: the file (%s) %s %s; %scontext %d tokens%s, "
                                + "ubatch %d, flash attention %s%s", framework().label(), MemoryPlan.mib(wb.total()),
                        mmap ? "mapped into" : "read into", d != null && d.isApple() ? "unified memory" : "host memory",
                        repack > 0 ? "Q4_0/Q4_K/IQ4_NL matrices repacked for the CPU (CPU_REPACK " + MemoryPlan.mib(repack)
                                + ", the mapped originals no longer read); " : "",
                        nctx, a.slidingLayers() > 0 && windowedSwa(s) ? " (sliding layers " + slidingCells(s, c.kv(), nctx) + ")" : "",
                        ub, flash ? "on" : "off", releaseWords(s)));
            }
        };
        return new MemoryPlan(wb.total(), kvAll, buffer + output, 0, context + repack, perDevice, perDevice - kvAll, kvAll,
                context, allocated, mapped, a.layers(), notes);
    }

    private String releaseWords(Scenario s) {
        RuntimeVersion v = version(s);
        return v == null ? " (defaults of " + framework().release() + ")" : " (defaults of release " + v + ")";
    }

    // ------------------------------------------------------------------ speed

    @Override
    int prefillChunk(EstimateContext c) {
        return ubatch(c.s());
    }

    @Override
    boolean pipelinesPrefill(EstimateContext c, Parallelism p) {
        return p == Parallelism.LAYER && c.s().deviceCount() > 1;
    }

    /** The ubatches of one logical batch ({@code -b}). */
    @Override
    int prefillInFlight(EstimateContext c) {
        return Math.max(1, logicalBatch(c.s()) / ubatch(c.s()));
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
        int ngl = gpuLayersWanted(c, c.s().deviceCount());
        return !c.device().isGpu() || ngl < 0 || ngl > c.a().layers();
    }

    /** The {@code -ngl} the scenario runs with on {@code n} GPUs: the option, else all (-1). */
    int gpuLayersWanted(EstimateContext c, int n) {
        return c.options().gpuLayersOrAll();
    }

    /** With layers on the CPU, prompt chunks of 32 tokens or more run on the GPU, the CPU layers' weights streamed over PCIe. */
    @Override
    boolean streamsHostLayers(EstimateContext c) {
        return c.device().isGpu() && prefillChunk(c) >= OFFLOAD_MIN_BATCH;
    }

    /**
     * On a CPU backend every layer ends in barriers across the threads: {@code cpu_sync_us} per thread
     * per layer (a 96-core socket spends hundreds of microseconds per layer where a desktop spends tens).
     */
    @Override
    double decodeExtraLayerSeconds(EstimateContext c) {
        DeviceClass dc = c.dc();
        if (dc != DeviceClass.CPU && dc != DeviceClass.APPLE_CPU) {
            return 0;
        }
        return threads(c) * c.cal(Calibration.Param.CPU_SYNC_US, dc) * 1e-6;
    }

    /** The CPU threads: given, else the socket's physical cores (8 where the catalog does not say). */
    static int threads(EstimateContext c) {
        Integer t = c.options().serving().threads();
        Hardware d = c.device();
        if (t != null) {
            return t;
        }
        return d != null && d.cpuMemory() != null && d.cpuMemory().cores() > 0 ? d.cpuMemory().cores() : 8;
    }

    /** CPU threads: given, else the socket's physical cores. */
    @Override
    double cpuShare(EstimateContext c) {
        ServingOptions v = c.options().serving();
        Hardware d = c.device();
        if (v.threads() == null || d == null || d.cpuMemory() == null || d.cpuMemory().cores() <= 0) {
            return 1;
        }
        return Math.min(1.0, (double) v.threads() / d.cpuMemory().cores());
    }
}
