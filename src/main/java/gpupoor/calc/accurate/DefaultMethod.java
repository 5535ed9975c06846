package gpupoor.calc.accurate;

import gpupoor.calc.Budget;
import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvPool;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.NumberText;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.TrainingTime;
import gpupoor.calc.Workload;
import gpupoor.calc.accurate.Calibration.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.IntPredicate;
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
        EstimateContext c = context(scenario);
        Scenario s = c.s();
        Workload w = s.workload();
        MemoryPlan plan = MemoryPlan.of(c, s.deviceCount());
        Hardware d = s.device();
        double usable = d == null ? Double.NaN : FrameworkBudget.usable(c);
        Budget budget = d == null ? null : FrameworkBudget.of(c, plan, usable);
        Speed speed = null;
        TrainingTime training = null;
        Integer gpusNeeded = null;
        if (d != null) {
            if (d.isGpu()) {
                gpusNeeded = gpusNeeded(c, budget, usable);
            }
            if (w.isTraining()) {
                training = d.isCpu() ? null : TrainingPlan.time(c);
            } else {
                speed = speed(c, plan);
            }
        }
        List<String> notes = new LazyLines() {
            @Override
            List<String> write() {
                return notes(c, budget);
            }
        };
        List<String> assumptions = new LazyLines() {
            @Override
            List<String> write() {
                return assumptions(c, plan, budget);
            }
        };
        return new Estimate(ID, breakdown(c, plan, budget), speed, training, gpusNeeded, notes, assumptions, budget);
    }

    @Override
    public boolean acceptsDeviceCount(Scenario s, int n) {
        Runtime r = Runtime.of(s.framework());
        return r.acceptsDeviceCount(s, ModelFacts.of(s.model()).architecture(), n);
    }

    @Override
    public int largestDeviceCount(Scenario s) {
        return Runtime.of(s.framework()).largestDeviceCount(s, ModelFacts.of(s.model()).architecture());
    }

    /** The method's rules, then the runtime's ({@link Runtime#check}, its device counts; {@link Trainer#check} in fine-tuning). */
    @Override
    public void check(Scenario scenario) {
        Runtime runtime = Runtime.of(scenario.framework());
        Scenario s = scenario.withQuant(runtime.storage(scenario.quant()));
        check(s, runtime);
        runtime.checkDeviceCount(s, ModelFacts.of(s.model()).architecture());
        if (s.workload().isTraining()) {
            Trainer.of(s.framework()).check(s, recipe(s, storage(s)));
        }
    }

    /** The fine-tuning recipe of a training scenario whose weights are held as {@code storage}. */
    private static TrainingRecipe recipe(Scenario s, Quant storage) {
        Parallelism p = s.options().parallelism() != null ? s.options().parallelism()
                : s.framework().defaultParallelism(s.workload().mode());
        return TrainingRecipe.of(s, storage, p);
    }

    /** Everything an estimate works from, after the scenario passed the method's and the runtime's rules. */
    EstimateContext context(Scenario scenario) {
        check(scenario);
        Runtime runtime = Runtime.of(scenario.framework());
        Scenario s = scenario.withQuant(runtime.storage(scenario.quant()));
        ModelFacts facts = ModelFacts.of(s.model());
        Architecture a = facts.architecture();
        Workload w = s.workload();
        boolean qlora = w.isTraining() && w.method() == TrainMethod.QLORA;
        Quant storage = storage(s);
        ServingOptions v = s.options().serving();
        boolean doubleQuant = v.bnbDoubleQuant() != null ? v.bnbDoubleQuant() : qlora || w.isTraining() && storage == Quant.BNB_NF4;
        WeightBytes wb = facts.weights(storage, doubleQuant, v.exl2Bits() == null ? ModelFacts.DEFAULT_EXL2_BITS : v.exl2Bits(), v);
        KvCache kv = runtime.kvCache(a, s.options().kvCache(), storage);
        TrainingMemory tm = w.isTraining() ? TrainingMemory.of(a, recipe(s, storage)) : null;
        Hardware d = s.device();
        DeviceClass dc = d == null ? null : DeviceClass.of(d, s.options().gpuLayersOrAll() == 0);
        return new EstimateContext(s, runtime, facts, storage, wb, kv, tm, calibration.get(), dc);
    }

    /** Warnings and why a part is missing. */
    private static List<String> notes(EstimateContext c, Budget budget) {
        Scenario s = c.s();
        Architecture a = c.a();
        List<String> notes = new ArrayList<>();
        if (a.synthetic()) {
            notes.add("only the size is known, so the default method assumes a typical current shape: " + a.layers()
                    + " layers, hidden " + a.hidden() + ", " + a.heads() + " attention heads sharing " + a.kvHeads()
                    + " KV heads of " + a.headDim() + " (grouped-query attention, as current models of every size use; "
                    + "an older multi-head model caches " + a.heads() / a.kvHeads() + "x the keys and values); "
                    + "give a config.json for exact numbers");
        }
        if (budget != null) {
            budgetNotes(c, budget, notes);
            if (s.workload().isTraining() && s.device().isCpu()) {
                notes.add("training time is modelled on GPUs and Apple Silicon, not on CPUs");
            }
        }
        return notes;
    }

    /** How the numbers were obtained, one line each. */
    private static List<String> assumptions(EstimateContext c, MemoryPlan plan, Budget budget) {
        Scenario s = c.s();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        KvCache kv = c.kv();
        Workload w = s.workload();
        List<String> assumptions = new ArrayList<>();
        assumptions.add(describe(a, s.model()));
        assumptions.add("weights: " + wb.format() + ": " + MemoryPlan.mib(wb.total()) + " in all ("
                + String.format("%.2f", wb.bitsPerParam(a)) + " bits/parameter)");
        if (!w.isTraining()) {
            assumptions.add(kvAssumption(a, kv));
        }
        assumptions.addAll(plan.notes());
        if (budget != null) {
            assumptions.add(String.format("budget: %s; %s MiB usable per device, %s MiB needed on the most loaded one%s",
                    budget.rule(), fmt(budget.usableMiB()), fmt(budget.requiredMiB()),
                    budget.fits() == null ? "" : budget.fits() ? " (fits)" : " (does not fit)"));
            if (!w.isTraining()) {
                assumptions.add(speedAssumption(c, plan));
            } else if (!s.device().isCpu()) {
                assumptions.add(TrainingPlan.timeAssumption(c));
            }
        }
        assumptions.add("calibration: efficiencies fitted on published measurements (catalog/calibration.md)");
        return assumptions;
    }

    // ------------------------------------------------------------------ inputs

    /** The storage of the weights a scenario holds in memory. */
    private static Quant storage(Scenario s) {
        Workload w = s.workload();
        if (w.isTraining()) {
            if (w.method() == TrainMethod.QLORA) {
                return Quant.BNB_NF4;
            }
            if (w.method() == TrainMethod.FULL && s.options().precision() == Precision.FP32) {
                return Quant.FP32;
            }
        }
        return s.quant();
    }

    /** The method's rules, then the runtime's. */
    private static void check(Scenario s, Runtime runtime) {
        Quant q = s.quant();
        Workload w = s.workload();
        if (!w.isTraining() && w.method() != null) {
            throw new InvalidScenarioException(Input.METHOD.ref(w.method()) + " applies to fine-tuning: give "
                    + Input.MODE.ref("training") + " too, or drop it for inference");
        }
        if (w.isTraining()) {
            TrainMethod m = w.method() == null ? TrainMethod.FULL : w.method();
            if (m == TrainMethod.FULL && q != Quant.NONE && q != Quant.FP32) {
                throw new InvalidScenarioException("full fine-tuning trains 16-bit weights: use " + Input.QUANT.ref("none")
                        + " (or fp32), or " + Input.METHOD.ref("lora") + " / qlora for a quantized base (got " + q.id() + ")");
            }
            if (m == TrainMethod.QLORA && q != Quant.NONE && q != Quant.BNB_NF4) {
                throw new InvalidScenarioException("QLoRA stores the base model in NF4: use " + Input.QUANT.ref("none")
                        + " or bnb-nf4 with " + Input.METHOD.ref("qlora") + " (got " + q.id() + ")");
            }
            if (m == TrainMethod.LORA && q == Quant.FP8) {
                throw new InvalidScenarioException("LoRA on an fp8 base is not modelled; use none, bnb-int8, bnb-nf4, gptq-int4 or awq-int4");
            }
        }
        runtime.check(s);
    }

    // ------------------------------------------------------------------ memory

    private static MemoryBreakdown breakdown(EstimateContext c, MemoryPlan plan, Budget budget) {
        double kv = plan.kv();
        double total = plan.total();
        if (budget != null && budget.pool() != null) {
            // a serving runtime reserves its whole pool at start-up; a batch it cannot hold needs more still
            double pool = c.s().deviceCount() * Math.max(0, budget.pool().kvCacheMiB()) * MIB;
            double reserved = Boolean.TRUE.equals(budget.fits()) ? pool : Math.max(kv, pool);
            total = total - kv + reserved;
            kv = reserved;
        }
        return new MemoryBreakdown(total / MIB, kv / MIB, plan.weights() / MIB, plan.activations() / MIB,
                plan.gradOptimizer() / MIB, plan.overhead() / MIB, plan.hostAllocated() / MIB, plan.hostMapped() / MIB);
    }

    private static void budgetNotes(EstimateContext c, Budget b, List<String> notes) {
        if (b.fits() == null) {
            return;
        }
        Workload w = c.w();
        KvPool pool = b.pool();
        if (pool != null) {
            String label = c.s().framework().label();
            long start = KvCache.roundUp(pool.maxModelLen(), c.runtime().poolBlockTokens());
            int concurrency = b.maxConcurrency() == null ? 0 : b.maxConcurrency();
            if (pool.kvCacheTokens() < start) {
                notes.add(String.format("does not fit: %s's KV pool holds %s tokens per GPU, less than one sequence of "
                        + "max_model_len %s (%s)", label, NumberText.plain(Math.max(0, pool.kvCacheTokens())),
                        NumberText.plain(pool.maxModelLen()), b.rule()));
            } else if (concurrency < w.batch()) {
                notes.add(String.format("does not fit as asked: %s's KV pool holds %d sequences of %d tokens at once%s; "
                        + "the batch of %d would queue", label, concurrency, w.totalTokens(),
                        concurrency == pool.maxNumSeqs() ? " (max_num_seqs)" : "", w.batch()));
            } else {
                notes.add(String.format("%s KV pool holds %s tokens: %d sequences of %d tokens at once%s (max concurrency)",
                        label, NumberText.plain(pool.kvCacheTokens()), concurrency, w.totalTokens(),
                        concurrency == pool.maxNumSeqs() ? ", the max_num_seqs limit" : ""));
            }
            return;
        }
        if (!b.fits()) {
            notes.add(String.format("does not fit, needing %s MiB on the most loaded device with %s MiB usable (%s)",
                    fmt(b.requiredMiB()), fmt(b.usableMiB()), b.rule()));
        }
    }

    /**
     * The fewest GPUs of this kind that hold the scenario ({@link Fit#fewestFitting}), among the
     * counts the runtime accepts. What the most loaded device needs never grows with the device count
     * (weights, KV cache and states are split or replicated, never added), while what it may use
     * stays the same, so fitting is monotone in the count. Whether the scenario fits on its own
     * device count is known already and bounds the search; the search starts at the count that would
     * hold it if everything but the runtime's context were shared out evenly (most scenarios then
     * take two trials). {@code usable} is what the runtime may use of one device, whatever their number.
     */
    private static Integer gpusNeeded(EstimateContext c, Budget budget, double usable) {
        Scenario s = c.s();
        IntPredicate fits = new IntPredicate() {  // not a lambda: see LazyLines
            @Override
            public boolean test(int k) {
                return fitsOn(c, k, usable);
            }
        };
        int n = Fit.fewestFitting(fits, c.runtime().deviceCounts(s, c.a()), c.runtime().largestDeviceCount(s, c.a()),
                s.deviceCount(), Boolean.TRUE.equals(budget.fits()), evenShare(budget, s.deviceCount()));
        return n > 0 ? n : null;
    }

    /**
     * The device count at which the memory a budget requires on {@code count} devices would fit if
     * all of it but the runtime's context were spread evenly, or 0 when that says nothing.
     */
    private static int evenShare(Budget b, int count) {
        double shared = (b.requiredMiB() - b.runtimeContextMiB()) * count;
        double room = b.usableMiB() - b.runtimeContextMiB();
        if (!(shared > 0) || !(room > 0)) {
            return 0;
        }
        return (int) Math.min(Fit.MAX_DEVICES, Math.ceil(shared / room));
    }

    /** Whether the scenario fits on {@code n} GPUs of its kind, of which the runtime may use {@code usable} bytes each. */
    private static boolean fitsOn(EstimateContext c, int n, double usable) {
        EstimateContext cn = new EstimateContext(c.s().withDeviceCount(n), c.runtime(), c.facts(), c.storage(), c.weights(),
                c.kv(), c.training(), c.cal(), c.dc());
        return FrameworkBudget.fits(cn, MemoryPlan.of(cn, n), usable);
    }

    // ------------------------------------------------------------------ speed

    private static Speed speed(EstimateContext c, MemoryPlan plan) {
        Scenario s = c.s();
        Architecture a = c.a();
        Workload w = s.workload();
        Runtime r = c.runtime();
        SpeedModel model = new SpeedModel(c.cal(), c.runtime().calibratedAs());
        int n = s.deviceCount();
        Parallelism p = c.parallelism();
        List<SpeedModel.Segment> decodeParts = segments(c, plan, w.batch(), p, true);
        List<SpeedModel.Segment> prefillParts = segments(c, plan, (double) w.batch() * w.promptTokens(), p, false);
        Comms comms = Comms.of(c, decodeParts.size() > 1, r.gpuLayers(c, plan));
        double context = w.promptTokens() + w.generateTokens() / 2.0;
        double step = model.decodeSeconds(decodeParts, w.batch(), context, c.kv().window(), comms,
                r.decodeExtraLayerSeconds(c), r.dispatchLayerSeconds(c));
        double headParams = (double) a.vocab() * a.hidden() / (p == Parallelism.TENSOR ? n : 1);
        boolean pipeline = r.pipelinesPrefill(c, p);
        double prefill = model.prefillSeconds(prefillParts, w.batch(), w.promptTokens(), r.prefillChunk(c), c.kv().window(),
                headParams, comms, pipeline ? n : 1, pipeline ? r.prefillInFlight(c) : 1, r.dispatchLayerSeconds(c));
        return new Speed(1 / step, 1000 * step, prefill, model.decodeBound(decodeParts, w.batch()));
    }

    /** The speed model's inputs in words: the first decode part's bandwidth and compute, and the split. */
    private static String speedAssumption(EstimateContext c, MemoryPlan plan) {
        Scenario s = c.s();
        Workload w = s.workload();
        int n = s.deviceCount();
        Parallelism p = c.parallelism();
        List<SpeedModel.Segment> decodeParts = segments(c, plan, w.batch(), p, true);
        boolean split = decodeParts.size() > 1;
        double context = w.promptTokens() + w.generateTokens() / 2.0;
        SpeedModel.Segment first = decodeParts.get(0);
        return String.format("decode: (weights %s + KV read) / (%.2f x %.0f GB/s) + %.0f us per layer, at the mean "
                        + "context %.0f tokens, %s; prefill at %.2f of %.0f TFLOPS (%s)",
                MemoryPlan.mib(first.weights()), c.cal(Param.DECODE_BW_EFF, first.device()), first.bandwidth(),
                c.cal(Param.DECODE_LAYER_US, first.device()), context, first.device().id(),
                c.cal(first.quantized() ? Param.PREFILL_FLOPS_EFF_QUANT : Param.PREFILL_FLOPS_EFF, first.device()),
                first.peakTflops(), split ? "GPU and CPU parts run one after the other"
                        : n > 1 ? n + " GPUs, " + p + " parallel" : "one device");
    }

    /**
     * The parts a forward pass of {@code tokens} tokens runs over: the device(s), or the GPU and CPU
     * parts of a llama.cpp partial offload (the token embedding is a look-up and moves nothing). A
     * decode step ({@code decode}) runs only the decoder of an encoder-decoder.
     */
    private static List<SpeedModel.Segment> segments(EstimateContext c, MemoryPlan plan, double tokens, Parallelism p,
                                                     boolean decode) {
        Scenario s = c.s();
        Architecture a = c.a();
        WeightBytes wb = c.weights();
        KvCache kv = c.kv();
        DeviceClass dc = c.dc();
        Hardware d = s.device();
        int n = p == Parallelism.TENSOR ? s.deviceCount() : 1;
        int layers = a.layers();
        double headRead = a.tiedEmbeddings() ? wb.tokenEmbedding() : wb.head();
        double active = wb.activeBytes(a, tokens);
        double layerFraction = wb.allLayers() > 0 ? (active - headRead) / wb.allLayers() : 0;
        double params = c.facts().activeParams();
        double headParams = (double) a.vocab() * a.hidden();
        boolean quantized = wb.quantizedKernels();
        double q = a.queryWidth();
        int attnLayers = a.attentionLayers();
        int sliding = kv.window() > 0 ? a.slidingLayers() : 0;
        int gl = c.runtime().gpuLayers(c, plan);
        boolean outputOnGpu = c.runtime().outputOnGpu(c);
        List<SpeedModel.Segment> parts = new ArrayList<>(2);
        double gpuLayerBytes = wb.layers(layers - gl, layers);
        double cpuLayerBytes = wb.allLayers() - gpuLayerBytes;
        if (gl > 0 || outputOnGpu) {
            double share = (double) gl / layers;
            double weights = gpuLayerBytes * layerFraction + (outputOnGpu ? headRead : 0);
            double segParams = (params - headParams) * share + (outputOnGpu ? headParams : 0);
            parts.add(new SpeedModel.Segment(dc, bandwidth(s), peak(c, d, s.quant()),
                    weights / n, kv.fullBytesPerToken() * share / n, kv.slidingBytesPerToken() * share / n, segParams / n,
                    q * (attnLayers - sliding) * share / n, q * sliding * share / n,
                    gl == layers && decode ? a.decoderLayers() : gl, quantized, false));
        }
        if (gl < layers || !outputOnGpu) {
            double share = (double) (layers - gl) / layers;
            double weights = cpuLayerBytes * layerFraction + (outputOnGpu ? 0 : headRead);
            double segParams = (params - headParams) * share + (outputOnGpu ? 0 : headParams);
            if (!decode && d.isGpu() && c.runtime().streamsHostLayers(c)) {
                double link = d.pcieGBs() > 0 ? d.pcieGBs() : c.cal(Param.HOP_GBS, dc);
                parts.add(new SpeedModel.Segment(dc, link, peak(c, d, s.quant()), weights, kv.fullBytesPerToken() * share,
                        kv.slidingBytesPerToken() * share, segParams, q * (attnLayers - sliding) * share,
                        q * sliding * share, layers - gl, quantized, true));
                return parts;
            }
            DeviceClass host = d.isApple() ? DeviceClass.APPLE_CPU : DeviceClass.CPU;
            Double given = s.options().hostBandwidthGBs();
            double bw = d.isApple() ? d.bandwidthGBs() : given != null ? given
                    : c.cal(Param.HOST_BANDWIDTH_GBS, DeviceClass.CPU);
            double hostPeak = d.isApple() ? d.fp32Tflops() : c.cal(Param.HOST_FP32_TFLOPS, DeviceClass.CPU);
            parts.add(new SpeedModel.Segment(host, bw, hostPeak, weights, kv.fullBytesPerToken() * share,
                    kv.slidingBytesPerToken() * share, segParams, q * (attnLayers - sliding) * share, q * sliding * share,
                    layers - gl, quantized, false));
        }
        return parts;
    }

    /** Memory bandwidth of a device in GB/s (a CPU at the DDR generation chosen). */
    private static double bandwidth(Scenario s) {
        Hardware d = s.device();
        if (d.isCpu() && s.ddr() != null && d.cpuMemory() != null) {
            double bw = d.cpuMemory().bandwidthGBs(s.ddr());
            if (bw <= 0) {
                throw new InvalidScenarioException("CPU " + d.id() + " does not support " + Input.DDR.ref(s.ddr()));
            }
            return bw;
        }
        return d.bandwidthGBs();
    }

    /**
     * The dense matrix throughput the runtime's kernels reach for ({@link Runtime#gpuPeakTflops}); Apple
     * GPUs their fp16 ALU rate; CPUs their fp32 rate.
     */
    private static double peak(EstimateContext c, Hardware d, Quant q) {
        if (!d.isGpu()) {
            return Math.max(d.fp16Tflops(), d.fp32Tflops()) * (d.isCpu() ? c.runtime().cpuShare(c) : 1);
        }
        return c.runtime().gpuPeakTflops(d, q);
    }

    // ------------------------------------------------------------------ text

    private static String describe(Architecture a, ModelSpec m) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.synthetic() ? "synthetic shape for " + m.id() + " (grouped-query attention with "
                + Architecture.SYNTHETIC_KV_HEADS + " KV heads, a 32,000-token vocabulary)" : "architecture from config (" + a.family()
                .name().toLowerCase(java.util.Locale.ROOT) + " family)");
        sb.append(": ").append(a.layers()).append(" layers, hidden ").append(a.hidden()).append(", ");
        if (a.attentionLayers() > 0) {
            sb.append(a.heads()).append(" heads / ").append(a.kvHeads()).append(" KV heads x ").append(a.headDim())
                    .append(", MLP ").append(a.intermediate()).append(a.family().gatedMlp() ? " (gated)" : " (plain)");
        } else {
            sb.append("no attention, no MLP");
        }
        sb.append(", vocab ").append(a.vocab()).append(a.tiedEmbeddings() ? " (tied)" : "");
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
            sb.append(", ").append(a.slidingLayers()).append(a.chunked() ? " chunked-attention layers (chunk " : " sliding layers (window ")
                    .append(a.slidingWindow()).append(")");
        }
        if (a.recurrent() != null) {
            sb.append(", ").append(a.recurrentLayers()).append(" ").append(a.recurrent().describe()).append(" layers");
            if (a.attentionLayers() == 0) {
                sb.append(" only");
            } else if (a.attentionLayers() < a.decoderLayers()) {
                sb.append(", attention in ").append(a.attentionLayers()).append(" of ").append(a.decoderLayers());
            } else {
                sb.append(" beside attention in every block");
            }
        }
        if (a.visionParams() > 0) {
            sb.append(String.format(", vision tower %.3fB", a.visionParams() / 1e9));
        }
        sb.append(String.format("; %.3fB parameters, %.3fB per token", a.totalParams() / 1e9, a.activeParams() / 1e9));
        return sb.toString();
    }

    /** The KV cache in words: bytes per token, windows, and the recurrent blocks' fixed state. */
    private static String kvAssumption(Architecture a, KvCache kv) {
        StringBuilder sb = new StringBuilder(String.format("KV cache: %s, %s bytes per token", kv.type(),
                NumberText.plain(Math.round(kv.bytesPerToken()))));
        if (a.attentionLayers() < a.decoderLayers()) {
            sb.append(" (").append(a.attentionLayers()).append(" attention layers of ").append(a.decoderLayers()).append(")");
        }
        if (kv.window() > 0) {
            sb.append(a.chunked() ? "; chunked layers hold at most " : "; sliding layers hold at most ").append(kv.window())
                    .append(" tokens");
        }
        if (kv.stateBytes() > 0) {
            sb.append("; plus a fixed ").append(MemoryPlan.mib(kv.stateBytes())).append(" per sequence of ")
                    .append(a.recurrent().describe()).append(" state (").append(NumberText.plain(a.recurrentElements()))
                    .append(" elements of ").append(NumberText.plain(Math.round(kv.stateBytes() / a.recurrentElements())))
                    .append(" bytes)");
        }
        return sb.toString();
    }

    /** Whole MiB with thousands separators, as the reports show them ({@code 28,162}). */
    private static String fmt(double mib) {
        return Double.isNaN(mib) ? "?" : NumberText.grouped(Math.round(mib));
    }
}
