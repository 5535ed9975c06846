package gpupoor.calc;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Our method, accurate on modern models: parameters per tensor from the config
 * ({@link Architecture}), real storage bytes per format ({@link WeightBytes}, {@link GgufMix}), the KV
 * cache per runtime ({@link KvCache}), compute buffers and training activations
 * ({@link Activations}), fine-tuning state ({@link TrainingMemory}), each runtime's placement and
 * memory rule ({@link MemoryPlan}, {@link FrameworkBudget}) and speed from bytes and FLOPs at
 * calibrated efficiencies ({@link SpeedModel}, {@link Calibration}). Every estimate lists the
 * assumptions behind it.
 */
public final class DefaultMethod implements Method {

    /** The method's id. */
    public static final String ID = "default";

    /** The method with the bundled calibration (loaded on first use through {@link CalibrationSource}). */
    public static final DefaultMethod INSTANCE = new DefaultMethod(DefaultMethod::bundledCalibration);

    private static final double MIB = 1024 * 1024;

    private final Supplier<Calibration> calibration;

    /** The method with a given calibration. */
    public DefaultMethod(Calibration calibration) {
        if (calibration == null) {
            throw new IllegalArgumentException("a calibration is needed");
        }
        this.calibration = () -> calibration;
    }

    private DefaultMethod(Supplier<Calibration> supplier) {
        this.calibration = supplier;
    }

    private static Calibration bundledCalibration() {
        return Bundled.CALIBRATION;
    }

    /** Holder: the service lookup runs once, on first use. */
    private static final class Bundled {
        static final Calibration CALIBRATION = ServiceLoader.load(CalibrationSource.class, DefaultMethod.class.getClassLoader())
                .findFirst().map(CalibrationSource::calibration)
                .orElseThrow(() -> new IllegalStateException("no calibration found: the catalog (catalog/calibration.csv) "
                        + "must be on the classpath"));
    }

    /** The calibration this method uses. */
    public Calibration calibration() {
        return calibration.get();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Estimate estimate(Scenario scenario) {
        Scenario s = normalize(scenario);
        check(s);
        Calibration cal = calibration.get();
        Workload w = s.workload();
        ModelFacts facts = ModelFacts.of(s.model());
        Architecture a = facts.architecture();
        boolean qlora = w.isTraining() && w.method() == TrainMethod.QLORA;
        Quant storage = storage(s);
        WeightBytes wb = facts.weights(storage, qlora || w.isTraining() && storage == Quant.BNB_NF4);
        KvCache kv = KvCache.of(a, s.framework(), storage, s.options().kvCacheType());
        TrainingMemory tm = w.isTraining() ? TrainingMemory.of(a, w.method(), w.optimizer(), s.options().precision(),
                s.options().loraTargetList(), w.loraRank()) : null;
        MemoryPlan plan = MemoryPlan.of(s, a, wb, kv, tm, cal, s.deviceCount());

        Hardware d = s.device();
        DeviceClass dc = d == null ? null : DeviceClass.of(d, s.options().gpuLayers() == 0);
        Budget budget = d == null ? null : FrameworkBudget.of(s, dc, plan, kv, cal);
        Speed speed = null;
        TrainingTime training = null;
        Integer gpusNeeded = null;
        if (d != null) {
            if (d.isGpu()) {
                gpusNeeded = gpusNeeded(s, a, wb, kv, tm, cal, dc, Boolean.TRUE.equals(budget.fits()));
            }
            if (w.isTraining()) {
                training = d.isCpu() ? null : trainingTime(s, facts, wb, tm, cal, dc);
            } else {
                speed = speed(s, facts, wb, kv, plan, cal, dc);
            }
        }
        List<String> notes = new LazyLines(() -> notes(s, a, budget));
        List<String> assumptions = new LazyLines(() -> assumptions(s, facts, wb, kv, plan, budget, cal, dc));
        return new Estimate(ID, breakdown(plan, budget, s), speed, training, gpusNeeded, notes, assumptions, budget);
    }

    /** Warnings and why a part is missing. */
    private static List<String> notes(Scenario s, Architecture a, Budget budget) {
        List<String> notes = new ArrayList<>();
        if (a.synthetic()) {
            notes.add("only the size is known, so the default method assumes a Llama-like shape (" + a.layers() + " layers, hidden "
                    + a.hidden() + "); give a config.json for exact numbers");
        }
        if (budget != null) {
            budgetNotes(s, budget, notes);
            if (s.workload().isTraining() && s.device().isCpu()) {
                notes.add("training time is modelled on GPUs and Apple Silicon, not on CPUs");
            }
        }
        return notes;
    }

    /** How the numbers were obtained, one line each. */
    private static List<String> assumptions(Scenario s, ModelFacts facts, WeightBytes wb, KvCache kv, MemoryPlan plan,
                                            Budget budget, Calibration cal, DeviceClass dc) {
        Architecture a = facts.architecture();
        Workload w = s.workload();
        List<String> assumptions = new ArrayList<>();
        assumptions.add(describe(a, s.model()));
        assumptions.add("weights: " + wb.format() + ": " + MemoryPlan.mib(wb.total()) + " in all ("
                + String.format("%.2f", wb.bitsPerParam(a)) + " bits/parameter)");
        if (!w.isTraining()) {
            assumptions.add(String.format("KV cache: %s, %s bytes per token%s", kv.type(),
                    NumberText.plain(Math.round(kv.bytesPerToken())),
                    kv.window() > 0 ? " (sliding layers hold at most " + kv.window() + " tokens)" : ""));
        }
        assumptions.addAll(plan.notes());
        if (budget != null) {
            assumptions.add(String.format("budget: %s; %s MiB usable per device, %s MiB needed on the most loaded one%s",
                    budget.rule(), fmt(budget.usableMiB()), fmt(budget.requiredMiB()),
                    budget.fits() == null ? "" : budget.fits() ? " (fits)" : " (does not fit)"));
            if (!w.isTraining()) {
                assumptions.add(speedAssumption(s, facts, wb, kv, plan, cal, dc));
            } else if (!s.device().isCpu()) {
                assumptions.add(trainingAssumption(s, a, cal, dc));
            }
        }
        assumptions.add("calibration: efficiencies fitted on published measurements (catalog/calibration.md)");
        return assumptions;
    }

    // ------------------------------------------------------------------ inputs

    /** llama.cpp runs GGUF files: unquantized weights there mean an F16 file. */
    private static Scenario normalize(Scenario s) {
        if (s.framework() == Framework.LLAMA_CPP && s.quant() == Quant.NONE) {
            return s.withQuant(Quant.GGUF_F16);
        }
        return s;
    }

    /** The storage of the weights a scenario holds in memory. */
    private static Quant storage(Scenario s) {
        Workload w = s.workload();
        if (w.isTraining()) {
            if (w.method() == TrainMethod.QLORA) {
                return Quant.BNB_NF4;
            }
            if (w.method() == TrainMethod.FULL && s.options().precision().equals("fp32")) {
                return Quant.FP32;
            }
        }
        return s.quant();
    }

    private static void check(Scenario s) {
        Quant q = s.quant();
        Framework f = s.framework();
        Workload w = s.workload();
        Hardware d = s.device();
        if (q.isGguf() && f != Framework.LLAMA_CPP) {
            throw new InvalidScenarioException("quantization " + q.id() + " is a GGUF type: it needs --framework llama.cpp"
                    + (w.isTraining() ? " and cannot be fine-tuned" : ""));
        }
        if (f == Framework.LLAMA_CPP && !q.isGguf()) {
            throw new InvalidScenarioException("llama.cpp runs GGUF files: use none (an F16 file) or a gguf-* quantization, not "
                    + q.id());
        }
        if (f == Framework.VLLM && d != null && !d.isGpu()) {
            throw new InvalidScenarioException("vLLM is modelled on GPUs; for " + d.id() + " use --framework llama.cpp or hf");
        }
        if (w.isTraining()) {
            if (f != Framework.HF) {
                throw new InvalidScenarioException("fine-tuning is modelled with PyTorch (Hugging Face, litgpt, torchtune): use "
                        + "--framework hf (got " + f.id() + ")");
            }
            TrainMethod m = w.method() == null ? TrainMethod.FULL : w.method();
            if (m == TrainMethod.FULL && q != Quant.NONE && q != Quant.FP32) {
                throw new InvalidScenarioException("full fine-tuning trains 16-bit weights: use quantization none (or fp32), or "
                        + "--method lora/qlora for a quantized base (got " + q.id() + ")");
            }
            if (m == TrainMethod.QLORA && q != Quant.NONE && q != Quant.BNB_NF4) {
                throw new InvalidScenarioException("QLoRA stores the base model in NF4: use quantization none or bnb-nf4 with "
                        + "--method qlora (got " + q.id() + ")");
            }
            if (m == TrainMethod.LORA && q == Quant.FP8) {
                throw new InvalidScenarioException("LoRA on an fp8 base is not modelled; use none, bnb-int8, bnb-nf4, gptq-int4 or awq-int4");
            }
        }
        if (d != null && d.isCpu() && s.deviceCount() > 1) {
            throw new InvalidScenarioException("a CPU estimate is for one socket; got " + s.deviceCount() + " devices");
        }
        if (d != null && d.isApple() && s.deviceCount() > 1) {
            throw new InvalidScenarioException("an Apple Silicon estimate is for one machine; got " + s.deviceCount() + " devices");
        }
    }

    // ------------------------------------------------------------------ memory

    private static MemoryBreakdown breakdown(MemoryPlan plan, Budget budget, Scenario s) {
        double kv = plan.kv();
        double total = plan.total();
        if (budget != null && s.framework() == Framework.VLLM && budget.fits() != null && budget.fits()) {
            double pool = s.deviceCount() * (budget.usableMiB() * MIB - plan.perDeviceFixed());
            total = total - kv + pool;
            kv = pool;
        }
        return new MemoryBreakdown(total / MIB, kv / MIB, plan.weights() / MIB, plan.activations() / MIB,
                plan.gradOptimizer() / MIB, plan.overhead() / MIB);
    }

    private static void budgetNotes(Scenario s, Budget b, List<String> notes) {
        if (b.fits() == null) {
            return;
        }
        if (!b.fits()) {
            notes.add(String.format("does not fit, needing %s MiB on the most loaded device with %s MiB usable (%s)",
                    fmt(b.requiredMiB()), fmt(b.usableMiB()), b.rule()));
        } else if (s.framework() == Framework.VLLM && b.maxConcurrency() != null) {
            notes.add("vLLM KV pool holds " + b.maxConcurrency() + " sequences of " + s.workload().totalTokens()
                    + " tokens at once (" + b.maxContextTokens() + " tokens for one sequence)"
                    + (b.maxConcurrency() < s.workload().batch() ? "; the batch of " + s.workload().batch() + " would queue" : ""));
        }
    }

    /** The most GPUs {@link #gpusNeeded} considers. */
    private static final int MAX_GPUS = 64;

    /**
     * The fewest GPUs of this kind that hold the scenario (up to {@value #MAX_GPUS}), under the
     * scenario's parallelism. What the most loaded device needs never grows with the device count
     * (weights, KV cache and states are split or replicated, never added), while what it may use
     * stays the same, so fitting is monotone in the count and bisection finds the fewest. Whether
     * the scenario fits on its own device count ({@code fitsAsGiven}) is known already and bounds the
     * search: from below when it does not fit, from above when it does (one GPU that fits needs no
     * search at all).
     */
    private static Integer gpusNeeded(Scenario s, Architecture a, WeightBytes wb, KvCache kv, TrainingMemory tm,
                                      Calibration cal, DeviceClass dc, boolean fitsAsGiven) {
        int given = s.deviceCount();
        int low = 0;
        int high = MAX_GPUS;
        if (given <= MAX_GPUS && fitsAsGiven) {
            high = given;
        } else {
            if (!fitsOn(MAX_GPUS, s, a, wb, kv, tm, cal, dc)) {
                return null;
            }
            if (given < MAX_GPUS) {
                low = given;
            }
        }
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            if (fitsOn(mid, s, a, wb, kv, tm, cal, dc)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    /** Whether the scenario fits on {@code n} GPUs of its kind. */
    private static boolean fitsOn(int n, Scenario s, Architecture a, WeightBytes wb, KvCache kv, TrainingMemory tm,
                                  Calibration cal, DeviceClass dc) {
        Scenario sn = s.withDeviceCount(n);
        MemoryPlan p = MemoryPlan.of(sn, a, wb, kv, tm, cal, n);
        return Boolean.TRUE.equals(FrameworkBudget.of(sn, dc, p, kv, cal).fits());
    }

    // ------------------------------------------------------------------ speed

    private static Speed speed(Scenario s, ModelFacts facts, WeightBytes wb, KvCache kv, MemoryPlan plan, Calibration cal,
                               DeviceClass dc) {
        Architecture a = facts.architecture();
        Workload w = s.workload();
        SpeedModel model = new SpeedModel(cal, s.framework());
        int n = s.deviceCount();
        Options.Parallelism p = parallelism(s);
        List<SpeedModel.Segment> decodeParts = segments(s, facts, wb, kv, plan, cal, dc, w.batch(), p, true);
        List<SpeedModel.Segment> prefillParts = segments(s, facts, wb, kv, plan, cal, dc, w.batch() * w.promptTokens(), p, false);
        boolean split = decodeParts.size() > 1;
        int hops = (p == Options.Parallelism.LAYER ? n - 1 : 0) + (split ? 1 : 0);
        int allReduces = p == Options.Parallelism.TENSOR && n > 1 ? 2 * a.layers() : 0;
        double extra = s.framework() == Framework.HF && s.quant().isBnb() ? cal.get("bnb_layer_us", s.framework(), dc) * 1e-6 : 0;
        double context = w.promptTokens() + w.generateTokens() / 2.0;
        double step = model.decodeSeconds(decodeParts, w.batch(), context, kv.window(), hops, allReduces, extra);
        int chunk = s.framework() == Framework.LLAMA_CPP ? s.options().ubatch()
                : (int) Math.min(Integer.MAX_VALUE, (long) w.batch() * w.promptTokens());
        double headParams = (double) a.vocab() * a.hidden() / (p == Options.Parallelism.TENSOR ? n : 1);
        boolean pipeline = s.framework() == Framework.LLAMA_CPP && p == Options.Parallelism.LAYER && n > 1;
        int inFlight = pipeline ? (int) (cal.get("llamacpp_n_batch", s.framework(), dc) / s.options().ubatch()) : 1;
        double prefill = model.prefillSeconds(prefillParts, w.batch(), w.promptTokens(), chunk, kv.window(), headParams,
                hops, allReduces, pipeline ? n : 1, inFlight, 4.0 * a.hidden());
        return new Speed(1 / step, 1000 * step, prefill, model.decodeBound(decodeParts, w.batch()));
    }

    /** The speed model's inputs in words: the first decode part's bandwidth and compute, and the split. */
    private static String speedAssumption(Scenario s, ModelFacts facts, WeightBytes wb, KvCache kv, MemoryPlan plan,
                                          Calibration cal, DeviceClass dc) {
        Workload w = s.workload();
        int n = s.deviceCount();
        Options.Parallelism p = parallelism(s);
        List<SpeedModel.Segment> decodeParts = segments(s, facts, wb, kv, plan, cal, dc, w.batch(), p, true);
        boolean split = decodeParts.size() > 1;
        double context = w.promptTokens() + w.generateTokens() / 2.0;
        SpeedModel.Segment first = decodeParts.get(0);
        return String.format("decode: (weights %s + KV read) / (%.2f x %.0f GB/s) + %.0f us per layer, at the mean "
                        + "context %.0f tokens, %s; prefill at %.2f of %.0f TFLOPS (%s)",
                MemoryPlan.mib(first.weights()), cal.get("decode_bw_eff", s.framework(), first.device()), first.bandwidth(),
                cal.get("decode_layer_us", s.framework(), first.device()), context, first.device().id(),
                cal.get(first.quantized() ? "prefill_flops_eff_quant" : "prefill_flops_eff", s.framework(), first.device()),
                first.peakTflops(), split ? "GPU and CPU parts run one after the other"
                        : n > 1 ? n + " GPUs, " + p + " parallel" : "one device");
    }

    /** The framework's multi-device mode unless the options choose one. */
    static Options.Parallelism parallelism(Scenario s) {
        Options.Parallelism p = s.options().parallelism();
        if (p != null) {
            return p;
        }
        if (s.workload().isTraining()) {
            return Options.Parallelism.DATA;
        }
        return s.framework() == Framework.VLLM ? Options.Parallelism.TENSOR : Options.Parallelism.LAYER;
    }

    /**
     * The parts a forward pass of {@code tokens} tokens runs over: the device(s), or the GPU and CPU
     * parts of a llama.cpp partial offload (the token embedding is a look-up and moves nothing). A
     * decode step ({@code decode}) runs only the decoder of an encoder-decoder.
     */
    private static List<SpeedModel.Segment> segments(Scenario s, ModelFacts facts, WeightBytes wb, KvCache kv,
                                                     MemoryPlan plan, Calibration cal, DeviceClass dc, int tokens,
                                                     Options.Parallelism p, boolean decode) {
        Architecture a = facts.architecture();
        Hardware d = s.device();
        int n = p == Options.Parallelism.TENSOR ? s.deviceCount() : 1;
        int layers = a.layers();
        double headRead = a.tiedEmbeddings() ? wb.tokenEmbedding() : wb.head();
        double active = wb.activeBytes(a, tokens);
        double layerFraction = wb.allLayers() > 0 ? (active - headRead) / wb.allLayers() : 0;
        double params = facts.activeParams();
        double headParams = (double) a.vocab() * a.hidden();
        boolean quantized = s.quant() != Quant.NONE && s.quant() != Quant.FP32 && s.quant() != Quant.GGUF_F16;
        double q = a.queryWidth();
        int attnLayers = a.attentionLayers();
        int sliding = kv.window() > 0 ? a.slidingLayers() : 0;
        int gl = d.isGpu() && s.framework() == Framework.LLAMA_CPP ? plan.gpuLayers() : layers;
        boolean outputOnGpu = !(d.isGpu() && s.framework() == Framework.LLAMA_CPP) || s.options().gpuLayers() < 0
                || s.options().gpuLayers() > layers;
        List<SpeedModel.Segment> parts = new ArrayList<>();
        double gpuLayerBytes = sumLast(wb, gl);
        double cpuLayerBytes = wb.allLayers() - gpuLayerBytes;
        if (gl > 0 || outputOnGpu) {
            double share = (double) gl / layers;
            double weights = gpuLayerBytes * layerFraction + (outputOnGpu ? headRead : 0);
            double segParams = (params - headParams) * share + (outputOnGpu ? headParams : 0);
            parts.add(new SpeedModel.Segment(dc, bandwidth(s, dc), peak(d, s.framework(), s.quant(), dc),
                    weights / n, kv.fullBytesPerToken() * share / n, kv.slidingBytesPerToken() * share / n, segParams / n,
                    q * (attnLayers - sliding) * share / n, q * sliding * share / n,
                    gl == layers && decode ? a.decoderLayers() : gl, quantized));
        }
        if (gl < layers || !outputOnGpu) {
            double share = (double) (layers - gl) / layers;
            double weights = cpuLayerBytes * layerFraction + (outputOnGpu ? 0 : headRead);
            double segParams = (params - headParams) * share + (outputOnGpu ? 0 : headParams);
            DeviceClass host = d.isApple() ? DeviceClass.APPLE_CPU : DeviceClass.CPU;
            double bw = d.isApple() ? d.bandwidthGBs() : s.options().hostBandwidthGBs() > 0 ? s.options().hostBandwidthGBs()
                    : cal.get("host_bandwidth_gbs", s.framework(), DeviceClass.CPU);
            double hostPeak = d.isApple() ? d.fp32Tflops() : cal.get("host_fp32_tflops", s.framework(), DeviceClass.CPU);
            parts.add(new SpeedModel.Segment(host, bw, hostPeak, weights, kv.fullBytesPerToken() * share,
                    kv.slidingBytesPerToken() * share, segParams, q * (attnLayers - sliding) * share, q * sliding * share,
                    layers - gl, quantized));
        }
        return parts;
    }

    private static double sumLast(WeightBytes wb, int count) {
        double sum = 0;
        int layers = wb.layers().length;
        for (int i = layers - count; i < layers; i++) {
            sum += wb.layer(i);
        }
        return sum;
    }

    /** Memory bandwidth of a device in GB/s (a CPU at the DDR generation chosen). */
    static double bandwidth(Scenario s, DeviceClass dc) {
        Hardware d = s.device();
        if (d.isCpu() && s.ddr() != null && d.cpuMemory() != null) {
            double bw = d.cpuMemory().bandwidthGBs(s.ddr());
            if (bw <= 0) {
                throw new InvalidScenarioException("CPU " + d.id() + " does not support " + s.ddr());
            }
            return bw;
        }
        return d.bandwidthGBs();
    }

    /**
     * The dense matrix throughput a framework's kernels reach for: llama.cpp accumulates in fp16
     * (NVIDIA's int8 rate / 2, twice the listed fp32-accumulate rate on GeForce cards); PyTorch
     * runtimes use bf16/fp16 with fp32 accumulation (fp8 for fp8 weights on vLLM); Apple GPUs their
     * fp16 ALU rate; CPUs their fp32 rate.
     */
    static double peak(Hardware d, Framework f, Quant q, DeviceClass dc) {
        double fp32 = d.fp32Tflops();
        if (!d.isGpu()) {
            return Math.max(d.fp16Tflops(), fp32);
        }
        if (f == Framework.LLAMA_CPP) {
            return Math.max(Math.max(d.fp16Tflops(), d.int8Tops() / 2), fp32);
        }
        if (f == Framework.VLLM && q == Quant.FP8 && d.fp8Tflops() > 0) {
            return d.fp8Tflops();
        }
        double half = d.bf16Tflops() > 0 ? d.bf16Tflops() : d.fp16Tflops();
        return Math.max(half, fp32);
    }

    // ------------------------------------------------------------------ training time

    /** Time per iteration on a GPU or Apple Silicon (CPUs are not modelled). */
    private static TrainingTime trainingTime(Scenario s, ModelFacts facts, WeightBytes wb, TrainingMemory tm, Calibration cal,
                                             DeviceClass dc) {
        Architecture a = facts.architecture();
        Hardware d = s.device();
        Workload w = s.workload();
        SpeedModel model = new SpeedModel(cal, s.framework());
        double tokens = (double) w.batch() * w.promptTokens();
        double attn = w.batch() * 2.0 * a.queryWidth() * a.attentionLayers() * w.promptTokens() * (double) w.promptTokens();
        boolean full = w.method() == TrainMethod.FULL;
        double dequant = 0;
        if (storage(s).isBnb()) {
            double quantizedParams = facts.totalParams() - (double) a.vocab() * a.hidden() * (a.tiedEmbeddings() ? 1 : 2);
            dequant = wb.total() + 4 * quantizedParams;
        }
        double optimizer = 2 * (tm.gradientBytes() + tm.optimizerBytes() + tm.trainableParams() * (full ? 2 : 4));
        Options.Parallelism p = parallelism(s);
        int n = s.deviceCount();
        TrainingTime t = model.trainingTime(dc, trainingPeak(s, dc), d.bandwidthGBs(), tokens, facts.activeParams(), full, attn,
                w.gradientCheckpointing(), dequant, optimizer);
        if (n > 1 && p != Options.Parallelism.DATA) {
            t = new TrainingTime(t.msPerIteration() / n, t.bound());
        }
        return t;
    }

    /** The matrix throughput training runs at: fp32 for full fp32 training, else the 16-bit rate. */
    private static double trainingPeak(Scenario s, DeviceClass dc) {
        boolean full = s.workload().method() == TrainMethod.FULL;
        return s.options().precision().equals("fp32") && full ? s.device().fp32Tflops()
                : peak(s.device(), Framework.HF, Quant.NONE, dc);
    }

    /** The training-time model's inputs in words. */
    private static String trainingAssumption(Scenario s, Architecture a, Calibration cal, DeviceClass dc) {
        Workload w = s.workload();
        boolean full = w.method() == TrainMethod.FULL;
        Options.Parallelism p = parallelism(s);
        int n = s.deviceCount();
        return String.format("training time: %s FLOPs per token (%s) at %.2f of %.0f TFLOPS%s%s",
                full ? "6 x P" : "4 x P (frozen base: no weight gradients)",
                w.gradientCheckpointing() ? "+ 2 x P recompute" : "no recompute",
                cal.get("train_flops_eff", s.framework(), dc), trainingPeak(s, dc),
                storage(s).isBnb() ? ", plus bitsandbytes dequantization traffic per pass" : "",
                n > 1 ? "; " + n + " GPUs " + p + " parallel" + (p == Options.Parallelism.DATA ? " (each its own batch)" : "") : "");
    }

    // ------------------------------------------------------------------ text

    private static String describe(Architecture a, ModelSpec m) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.synthetic() ? "synthetic Llama-like shape for " + m.id() : "architecture from config (" + a.family()
                .name().toLowerCase(java.util.Locale.ROOT) + " family)");
        sb.append(": ").append(a.layers()).append(" layers, hidden ").append(a.hidden()).append(", ").append(a.heads())
                .append(" heads / ").append(a.kvHeads()).append(" KV heads x ").append(a.headDim()).append(", MLP ")
                .append(a.intermediate()).append(a.family().gatedMlp() ? " (gated)" : " (plain)").append(", vocab ")
                .append(a.vocab()).append(a.tiedEmbeddings() ? " (tied)" : "");
        if (a.moe() != null) {
            sb.append(", MoE ").append(a.moe().experts()).append(" experts, ").append(a.moe().activeExperts())
                    .append(" active");
            if (a.moe().sharedIntermediate() > 0) {
                sb.append(", shared ").append(a.moe().sharedIntermediate());
            }
            if (a.moe().denseLayers() > 0) {
                sb.append(", first ").append(a.moe().denseLayers()).append(" dense");
            }
        }
        if (a.mla() != null) {
            sb.append(", MLA latent ").append(a.mla().kvLoraRank()).append("+").append(a.mla().ropeDim());
        }
        if (a.slidingLayers() > 0) {
            sb.append(", ").append(a.slidingLayers()).append(" sliding layers (window ").append(a.slidingWindow()).append(")");
        }
        sb.append(String.format("; %.3fB parameters, %.3fB per token", a.totalParams() / 1e9, a.activeParams() / 1e9));
        return sb.toString();
    }

    private static String fmt(double mib) {
        return Double.isNaN(mib) ? "?" : NumberText.plain(Math.round(mib));
    }
}
