package gpupoor.calc.accurate;

import gpupoor.calc.Defaults;
import gpupoor.calc.Fit;
import gpupoor.calc.Framework;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.Interconnect;
import gpupoor.calc.KvPool;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * The default method's strategy for one runtime: its rules beyond those every method shares
 * ({@link Framework#check}), how it holds the weights and the KV cache, where its bytes live
 * ({@link #plan}), what it may use of a device ({@link #usableGpuBytes}), how it chunks a prompt
 * and what its decode step costs beyond the bytes and FLOPs. A new runtime is one subclass (plus a
 * {@link Framework} constant and its calibration rows) registered in {@link #of}.
 */
abstract class Runtime {
    static final double MIB = 1024 * 1024;

    private static final List<Runtime> ALL = List.of(new HfRuntime(), new VllmRuntime(), new LlamaCppRuntime(),
            new ExllamaRuntime(Framework.EXLLAMA), new ExllamaRuntime(Framework.EXLLAMAV2), new MlcRuntime(),
            new TensorRtLlmRuntime(), new SglangRuntime(), new MlxRuntime(), new OllamaRuntime());

    /** The runtimes that only fine-tune ({@link Framework#serves} false): their {@link Trainer} is their strategy. */
    private static final List<Runtime> TRAINING_ONLY = Framework.all().stream()
            .filter(f -> f.trains() && !f.serves()).map(TrainingOnly::new).map(Runtime.class::cast).toList();

    /**
     * The strategy for a framework.
     *
     * @throws InvalidScenarioException for a runtime the default method does not model
     */
    static Runtime of(Framework f) {
        Runtime r = f.index() < BY_INDEX.length ? BY_INDEX[f.index()] : null;
        if (r == null) {
            throw new InvalidScenarioException("the default method does not model " + f.label() + " yet");
        }
        return r;
    }

    /** The strategies by {@link Framework#index()} (every estimate looks its runtime up, several times). */
    private static final Runtime[] BY_INDEX = byIndex();

    private static Runtime[] byIndex() {
        Runtime[] out = new Runtime[Framework.all().size()];
        for (List<Runtime> group : List.of(ALL, TRAINING_ONLY)) {
            for (Runtime r : group) {
                out[r.framework().index()] = r;
            }
        }
        return out;
    }

    /**
     * A runtime that only fine-tunes: the scenario rules shared by all PyTorch trainers (no GGUF
     * weights); its memory and time are its {@link Trainer}'s ({@link TrainingPlan}), and it serves
     * nothing ({@link Framework#check} refuses inference before a plan is asked for).
     */
    private static final class TrainingOnly extends Runtime {
        private final Framework framework;

        TrainingOnly(Framework framework) {
            this.framework = framework;
        }

        @Override
        Framework framework() {
            return framework;
        }

        @Override
        void check(Scenario s) {
            requireNotGguf(s);
        }

        @Override
        MemoryPlan plan(EstimateContext c, int devices) {
            throw new IllegalStateException(framework.label() + " is modelled for fine-tuning only");
        }
    }

    /** The framework this strategy models. */
    abstract Framework framework();

    /** The framework whose rows of the calibration this runtime reads (itself, or the engine it wraps). */
    Framework calibratedAs() {
        return framework();
    }

    /** The storage the runtime holds for weights given as {@code q} (llama.cpp runs unquantized weights as an F16 GGUF). */
    Quant storage(Quant q) {
        return q;
    }

    /**
     * The runtime's own rules for a scenario (which weight formats it runs, on which devices, how it
     * splits several GPUs).
     *
     * @throws InvalidScenarioException naming the input that breaks the rule and what is accepted
     */
    abstract void check(Scenario s);

    /**
     * Refuses a GGUF quantization on a runtime that does not read GGUF files.
     *
     * @throws InvalidScenarioException naming llama.cpp
     */
    static void requireNotGguf(Scenario s) {
        if (s.quant().isGguf()) {
            throw new InvalidScenarioException("quantization " + s.quant().id() + " is a GGUF type: it needs "
                    + Input.FRAMEWORK.ref(Framework.LLAMA_CPP.id())
                    + (s.workload().isTraining() ? " and cannot be fine-tuned" : ""));
        }
    }

    /**
     * Refuses a device count the runtime cannot split the model over.
     *
     * @throws InvalidScenarioException naming the counts it accepts
     */
    final void checkDeviceCount(Scenario s, Architecture a) {
        int n = s.deviceCount();
        if (acceptsDeviceCount(s, a, n)) {
            return;
        }
        StringBuilder ok = new StringBuilder();
        int upTo = Math.min(Math.max(64, n), Fit.MAX_DEVICES);
        for (int k = 1; k <= upTo; k++) {
            if (acceptsDeviceCount(s, a, k)) {
                ok.append(ok.length() == 0 ? "" : ", ").append(k);
            }
        }
        throw new InvalidScenarioException(deviceCountRule(a) + ", so it cannot run on " + Input.DEVICES.ref(n)
                + "; GPU counts it accepts up to " + upTo + ": " + ok);
    }

    /** Why some device counts do not work, in words (for {@link #checkDeviceCount}). */
    String deviceCountRule(Architecture a) {
        return framework().label() + " cannot split the model over that many devices";
    }

    /**
     * Whether the runtime can split the model over {@code n} devices of the scenario's kind: any count
     * for a split by layers, a count that divides the heads for tensor parallelism ({@link #splitsHeads}).
     */
    final boolean acceptsDeviceCount(Scenario s, Architecture a, int n) {
        return deviceCounts(s, a).test(n);
    }

    /** {@link #acceptsDeviceCount} for every count of one scenario (a search tries several; the split is decided once). */
    final IntPredicate deviceCounts(Scenario s, Architecture a) {
        if (!splitsHeads(s)) {
            return ANY_COUNT;
        }
        return new IntPredicate() {  // not a lambda: see LazyLines
            @Override
            public boolean test(int n) {
                return headsDivide(a, n);
            }
        };
    }

    private static final IntPredicate ANY_COUNT = n -> true;

    /**
     * The most devices that can share the scenario's model (a search for the fewest looks no further):
     * under tensor parallelism the heads ({@link #acceptsDeviceCount}); in a layer split of inference
     * each device holds whole blocks, so beyond one device per block and one for the output layer a
     * device would hold nothing; else {@link Fit#MAX_DEVICES}.
     */
    final int largestDeviceCount(Scenario s, Architecture a) {
        long most = Fit.MAX_DEVICES;
        if (splitsHeads(s)) {
            most = a.heads();
        } else if (!s.workload().isTraining() && parallelism(s) == Parallelism.LAYER && !rowSplit(s)) {
            most = a.layers() + 1L;
        }
        return (int) Math.max(1, Math.min(most, Fit.MAX_DEVICES));
    }

    /** Whether the scenario's devices split the attention heads (tensor parallelism) rather than the layers. */
    boolean splitsHeads(Scenario s) {
        return false;
    }

    // ------------------------------------------------------------------ defaults of the runtime's release

    /** The release the scenario describes ({@code --runtime-version}), or null for the current one. */
    static RuntimeVersion version(Scenario s) {
        return s.options().serving().runtimeVersion();
    }

    /** Whether flash attention is on: the option, else the runtime's default for its release ({@link #flashByDefault}). */
    final boolean flash(Scenario s) {
        Boolean fa = s.options().flashAttention();
        return fa != null ? fa : flashByDefault(s);
    }

    /** Whether flash attention is on when the scenario does not say, in the release it describes. */
    boolean flashByDefault(Scenario s) {
        return framework().flashAttentionByDefault();
    }

    /** How several devices share the model: the option, else the runtime's default for the mode. */
    Parallelism parallelism(Scenario s) {
        Parallelism p = s.options().parallelism();
        return p != null ? p : framework().defaultParallelism(s.workload().mode());
    }

    /** Whether the devices gather every matrix product's rows (llama.cpp's row split) rather than split layers or heads. */
    boolean rowSplit(Scenario s) {
        return false;
    }

    /** The link between the scenario's GPUs: the option, else the device's ({@link Hardware#defaultInterconnect}). */
    static Interconnect link(Scenario s) {
        Interconnect i = s.options().serving().interconnect();
        return i != null ? i : s.device() == null ? Interconnect.PCIE : s.device().defaultInterconnect();
    }

    /**
     * Whether tensor parallelism can split the model's heads over {@code n} devices: the count must
     * divide the attention heads, and divide the KV heads or be a multiple of them (each device then
     * keeps a copy of one KV head).
     */
    static boolean headsDivide(Architecture a, int n) {
        int kv = a.kvHeads();
        return n == 1 || a.heads() % n == 0 && (kv % n == 0 || n % kv == 0);
    }

    /** The tensor-parallel device-count rule in words. */
    static String headsRule(Runtime r, Architecture a) {
        return r.framework().label() + "'s tensor parallelism splits the " + a.heads() + " attention heads and "
                + a.kvHeads() + " KV heads evenly";
    }

    /** The share of the KV cache one of {@code n} tensor-parallel devices holds (a KV head is copied when n exceeds them). */
    static double kvShare(Architecture a, int n) {
        int kv = Math.max(1, a.kvHeads());
        return n <= kv ? 1.0 / n : 1.0 / kv;
    }

    /** The KV cache's element type: the one asked for ({@link gpupoor.calc.Defaults#KV_CACHE} when none), for weights held as {@code storage}. */
    KvCacheType cacheType(KvCacheType requested, Quant storage) {
        return requested == null ? Defaults.KV_CACHE : requested;
    }

    /** Whether an MLA model's cache holds the compressed latent (not per-head keys and values). */
    boolean latentCache() {
        return true;
    }

    /** Whether sliding-window layers hold only their window. */
    boolean windowedCache(Architecture a) {
        return true;
    }

    /**
     * Bytes per element of the recurrent state of Mamba and Gated DeltaNet blocks: the weights'
     * compute type (vLLM's {@code mamba_cache_dtype auto}, transformers' cache), fp32 for fp32 weights.
     */
    double stateElementBytes(Quant storage) {
        return storage == Quant.FP32 ? 4 : 2;
    }

    /** The KV cache the runtime keeps for a model whose weights it holds as {@code storage} ({@code requested}: the cache type asked for, or null). */
    final KvCache kvCache(Architecture a, KvCacheType requested, Quant storage) {
        return KvCache.of(a, cacheType(requested, storage), latentCache(), windowedCache(a), stateElementBytes(storage));
    }

    /** What the runtime allocates for {@code sequences} sequences of {@code tokens} tokens. */
    double kvAllocated(KvCache kv, long tokens, int sequences, boolean flash) {
        return sequences * kv.bytes(tokens);
    }

    /** Where an inference scenario's bytes live on {@code devices} devices. */
    abstract MemoryPlan plan(EstimateContext c, int devices);

    /** The runtime (CUDA, Metal) context per device, bytes. */
    double context(EstimateContext c) {
        DeviceClass dc = c.planClass();
        Hardware d = c.device();
        boolean gpu = d == null || d.isGpu();
        return (gpu ? c.cal(Param.CUDA_CONTEXT_MIB, dc) : c.cal(Param.RUNTIME_CONTEXT_MIB, dc)) * MIB;
    }

    /**
     * Bytes the runtime may use on one GPU of {@code totalBytes}: the card less what ECC keeps on
     * data-centre GDDR cards ({@link Hardware#eccReservesMemory}) and what the driver keeps.
     */
    double usableGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return eccShare(c.device()) * totalBytes - c.cal(Param.GPU_RESERVED_MIB, dc) * MIB;
    }

    /** The share of a GPU's memory left after ECC: 15/16 on data-centre GDDR cards, else all of it. */
    static double eccShare(Hardware d) {
        return d != null && ECC.get(d) ? 15.0 / 16 : 1;
    }

    /** {@link Hardware#eccReservesMemory} of the devices used last (it reads the device's name). */
    private static final IdentityCache<Hardware, Boolean> ECC = new IdentityCache<>(16, Hardware::eccReservesMemory);

    /**
     * The memory CUDA reports as the GPU's total ({@code cudaMemGetInfo}, which vLLM's and SGLang's
     * fractions apply to): the card's, less ECC's share and what the driver and firmware keep
     * ({@code gpu_invisible_fraction}).
     */
    static double visibleGpuBytes(EstimateContext c, DeviceClass dc, double totalBytes) {
        return eccShare(c.device()) * totalBytes * (1 - c.cal(Param.GPU_INVISIBLE_FRACTION, dc));
    }

    /**
     * A pooled runtime's start-up budget on one device: of the {@code usableBytes} it takes, the terms
     * that come first and the KV pool made of the rest ({@link #poolsKvCache} runtimes; null otherwise).
     */
    KvPool pool(EstimateContext c, MemoryPlan plan, double usableBytes) {
        return null;
    }

    /** Tokens per block of the runtime's paged KV cache (a pool is counted in whole blocks). */
    int poolBlockTokens() {
        return 1;
    }

    /** The GPU memory rule in words. */
    String gpuRule(EstimateContext c) {
        String rule = cardRule;
        if (rule == null) {
            rule = framework().label() + " may use the card's memory less what the driver keeps";
            cardRule = rule;
        }
        return rule;
    }

    /** The base {@link #gpuRule}, written once (every estimate on a GPU states its rule). */
    private String cardRule;

    /**
     * Whether the runtime fills what its budget leaves with a KV pool (vLLM): then a scenario fits
     * when one sequence's cache fits in the pool, and the pool is the KV cache it holds.
     */
    boolean poolsKvCache() {
        return false;
    }

    /** Tokens per prefill chunk: the whole batch of prompts at once (PyTorch runtimes). */
    int prefillChunk(EstimateContext c) {
        return (int) Math.min(Integer.MAX_VALUE, (long) c.w().batch() * c.w().promptTokens());
    }

    /** Whether prefill chunks flow through the devices of a split as a pipeline. */
    boolean pipelinesPrefill(EstimateContext c, Parallelism p) {
        return false;
    }

    /** Prefill chunks in flight at once in that pipeline. */
    int prefillInFlight(EstimateContext c) {
        return 1;
    }

    /** Extra seconds per layer per decode step beyond bytes and FLOPs (a CPU backend's thread barriers). */
    double decodeExtraLayerSeconds(EstimateContext c) {
        return 0;
    }

    /**
     * Seconds the CPU takes to dispatch one layer's kernels per decode step, when the runtime launches
     * them one by one from Python (eager PyTorch); a step lasts at least that times the layers. 0 for
     * runtimes with CUDA graphs or compiled loops.
     */
    double dispatchLayerSeconds(EstimateContext c) {
        return 0;
    }

    /**
     * The dense matrix throughput the runtime's kernels reach for on a GPU: PyTorch runtimes use
     * bf16/fp16 with fp32 accumulation.
     */
    double gpuPeakTflops(Hardware d, Quant q) {
        return pytorchPeakTflops(d);
    }

    /** PyTorch's dense 16-bit matrix rate on a GPU: bf16 (else fp16) with fp32 accumulation, at least the fp32 rate. */
    static double pytorchPeakTflops(Hardware d) {
        double half = d.bf16Tflops() > 0 ? d.bf16Tflops() : d.fp16Tflops();
        return Math.max(half, d.fp32Tflops());
    }

    /** Blocks on the GPU(s) (a partial offload keeps the others in host memory). */
    int gpuLayers(EstimateContext c, MemoryPlan plan) {
        return c.a().layers();
    }

    /** Whether the output layer runs on the GPU. */
    boolean outputOnGpu(EstimateContext c) {
        return true;
    }

    /**
     * Whether prompt chunks run the layers kept in host memory on the GPU, their weights streamed over
     * the host link (llama.cpp's op offload), rather than on the CPU.
     */
    boolean streamsHostLayers(EstimateContext c) {
        return false;
    }

    /** The share of a CPU's cores the runtime computes on (its threads over the physical cores). */
    double cpuShare(EstimateContext c) {
        return 1;
    }
}
