package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Quant;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Catalog;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A setup evaluated over ranges of its parameters: every combination of the values given, one
 * estimate each. Immutable: each range returns a new sweep. The estimates are made once, on
 * first use:
 *
 * <pre>{@code
 * sweep(s).context(512, 131072).quants(FP16, Q8_0, Q4_K_M).plot(MEMORY);   // curves + the GPU's capacity
 * sweep(s).batch(1, 256).plot(TOKENS_PER_SECOND);
 * sweep(s).gpus("rtx-3090", "rtx-4090", "a100-sxm4-80gb").table();
 * sweep(s).quants(FP16, Q8_0, Q4_K_M).limit(MAX_CONTEXT).plot();         // the longest context per quant
 * }</pre>
 *
 * <p>Numeric ranges come three ways: {@code context(512, 131072)} doubles from the start to the
 * end (512, 1024, …, 131072); {@code context(1024, 8192, 1024)} steps linearly; and the plural,
 * {@code contexts(1000, 3000, 9000)}, lists values (likewise {@code batch}/{@code batches},
 * {@code rank}/{@code ranks}, {@code gpuCount}/{@code gpuCounts}, ...). A point the method
 * rejects gets its message in the table's {@code error} column, and the other points are still
 * computed. The points are estimated on every core, in chunks; the rows come in the order above
 * all the same. Sweeps of {@value SweepPoints#PROGRESS_FROM} points or more show one progress bar;
 * every sweep stops promptly when the cell is interrupted.
 */
public final class Sweep implements Displayable {

    /** The most points a sweep may have: 2,000,000 (about 200 MB of results). */
    public static final long MAX_POINTS = 2_000_000;

    private static final int MODE = 0;
    private static final int MODEL = 1;
    private static final int DEVICE = 2;
    private static final int COUNT = 3;
    private static final int FRAMEWORK = 4;
    private static final int QUANT = 5;
    private static final int TRAINING = 6;
    private static final int GENERATE = 7;
    private static final int TOKENS = 8;
    private static final int BATCH = 9;
    private static final int METHOD = 10;
    private static final int KNOB = 11;

    /** Rows shown when a sweep is displayed. */
    private static final int PREVIEW_ROWS = 20;

    private final Setup base;
    private final List<Axis> axes;
    private volatile SweepPoints points;

    Sweep(Setup base) {
        this(base, List.of());
    }

    private Sweep(Setup base, List<Axis> axes) {
        if (base == null) {
            throw new InvalidScenarioException("sweep(...) needs a setup, e.g. sweep(model(\"7B\").on(gpu(\"rtx-4090\")))");
        }
        this.base = base;
        this.axes = List.copyOf(axes);
    }

    private Sweep with(Axis axis) {
        for (Axis a : axes) {
            Set<String> both = new HashSet<>(a.sets());
            both.retainAll(axis.sets());
            if (!both.isEmpty()) {
                throw new InvalidScenarioException("the sweep already varies " + String.join(" and ", both) + " (by "
                        + a.column() + "); sweep " + axis.column() + " in another sweep or drop one of them");
            }
        }
        long n = (long) size() * axis.size();
        if (n > MAX_POINTS) {
            throw new InvalidScenarioException(String.format("a sweep of %,d points is too large (at most %,d)", n, MAX_POINTS));
        }
        List<Axis> more = new ArrayList<>(axes);
        more.add(axis);
        return new Sweep(base, more);
    }

    // ------------------------------------------------------------------ token and batch ranges

    /** Contexts (prompt + generated tokens) doubling from {@code from} to {@code to}; generation stays as set, at most half the context. */
    public Sweep context(int from, int to) {
        return contexts(Axis.doubling("context", 1, from, to));
    }

    /** Contexts from {@code from} to {@code to} in steps of {@code step} tokens. */
    public Sweep context(int from, int to, int step) {
        return contexts(Axis.linear("context", 1, from, to, step));
    }

    /** The contexts listed. */
    public Sweep contexts(int... tokens) {
        return contexts(Axis.list("context", 1, tokens));
    }

    private Sweep contexts(List<Integer> v) {
        return with(Axis.numeric("context_tokens", "context (tokens)", v, Setup::context, Set.of("prompt", "generate"),
                TOKENS));
    }

    /** Prompt lengths doubling from {@code from} to {@code to}. */
    public Sweep prompt(int from, int to) {
        return prompts(Axis.doubling("prompt", 1, from, to));
    }

    /** Prompt lengths from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep prompt(int from, int to, int step) {
        return prompts(Axis.linear("prompt", 1, from, to, step));
    }

    /** The prompt lengths listed. */
    public Sweep prompts(int... tokens) {
        return prompts(Axis.list("prompt", 1, tokens));
    }

    private Sweep prompts(List<Integer> v) {
        return with(Axis.numeric("prompt_tokens", "prompt (tokens)", v, Setup::prompt, Set.of("prompt"), TOKENS));
    }

    /** Generation lengths doubling from {@code from} to {@code to}. */
    public Sweep generate(int from, int to) {
        return generates(Axis.doubling("generate", 0, from, to));
    }

    /** Generation lengths from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep generate(int from, int to, int step) {
        return generates(Axis.linear("generate", 0, from, to, step));
    }

    /** The generation lengths listed. */
    public Sweep generates(int... tokens) {
        return generates(Axis.list("generate", 0, tokens));
    }

    private Sweep generates(List<Integer> v) {
        return with(Axis.numeric("generate_tokens", "tokens generated", v, Setup::generate, Set.of("generate"), GENERATE));
    }

    /** Batch sizes doubling from {@code from} to {@code to}. */
    public Sweep batch(int from, int to) {
        return batches(Axis.doubling("batch", 1, from, to));
    }

    /** Batch sizes from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep batch(int from, int to, int step) {
        return batches(Axis.linear("batch", 1, from, to, step));
    }

    /** The batch sizes listed. */
    public Sweep batches(int... sizes) {
        return batches(Axis.list("batch", 1, sizes));
    }

    private Sweep batches(List<Integer> v) {
        return with(Axis.numeric("batch", "batch (sequences)", v, Setup::batch, Set.of("batch"), BATCH));
    }

    /** Fine-tuning sequence lengths doubling from {@code from} to {@code to}. */
    public Sweep sequence(int from, int to) {
        return sequences(Axis.doubling("sequence", 1, from, to));
    }

    /** Fine-tuning sequence lengths from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep sequence(int from, int to, int step) {
        return sequences(Axis.linear("sequence", 1, from, to, step));
    }

    /** The fine-tuning sequence lengths listed. */
    public Sweep sequences(int... tokens) {
        return sequences(Axis.list("sequence", 1, tokens));
    }

    private Sweep sequences(List<Integer> v) {
        return with(Axis.numeric("sequence_tokens", "fine-tuning sequence (tokens)", v, Setup::sequence,
                Set.of("prompt"), TOKENS).forTraining());
    }

    /** LoRA ranks doubling from {@code from} to {@code to}. */
    public Sweep rank(int from, int to) {
        return ranks(Axis.doubling("rank", 1, from, to));
    }

    /** LoRA ranks from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep rank(int from, int to, int step) {
        return ranks(Axis.linear("rank", 1, from, to, step));
    }

    /** The LoRA ranks listed. */
    public Sweep ranks(int... ranks) {
        return ranks(Axis.list("rank", 1, ranks));
    }

    private Sweep ranks(List<Integer> v) {
        return with(Axis.numeric("lora_rank", "LoRA rank", v, Setup::rank, Set.of("rank"), TRAINING).forTraining());
    }

    /** Numbers of GPUs of the setup's kind (or of each swept GPU), doubling from {@code from} to {@code to}. */
    public Sweep gpuCount(int from, int to) {
        return gpuCounts(Axis.doubling("gpu count", 1, from, to));
    }

    /** Numbers of GPUs from {@code from} to {@code to} in steps of {@code step}. */
    public Sweep gpuCount(int from, int to, int step) {
        return gpuCounts(Axis.linear("gpu count", 1, from, to, step));
    }

    /** The numbers of GPUs listed. */
    public Sweep gpuCounts(int... counts) {
        return gpuCounts(Axis.list("gpu count", 1, counts));
    }

    private Sweep gpuCounts(List<Integer> counts) {
        return with(Axis.numeric("gpus", "GPUs", counts, (s, n) -> {
            Device d = s.device();
            if (d == null) {
                throw new InvalidScenarioException("gpuCounts(...) needs a GPU: add .on(gpu(\"rtx-4090\")) or .gpus(...)");
            }
            return s.on(d.times(n));
        }, Set.of("count"), COUNT));
    }

    // ------------------------------------------------------------------ named values

    /** Quantizations: {@code quants(FP16, Q8_0, Q4_K_M)}. */
    public Sweep quants(Quant... quants) {
        return with(Axis.named("quant", "quantization", nonEmpty("quants", quants), Setup::quant, Setup::quantLabel,
                Set.of("quant"), QUANT));
    }

    /** Quantizations by id: {@code quants("fp16", "Q8_0", "Q4_K_M")}. */
    public Sweep quants(String... ids) {
        return quants(nonEmpty("quants", ids).stream().map(Quant::parse).toArray(Quant[]::new));
    }

    /**
     * GPUs by id, as many of each as the setup has ({@code gpuCounts(...)} varies that):
     * {@code gpus("rtx-3090", "rtx-4090", "a100-sxm4-80gb")}.
     */
    public Sweep gpus(String... ids) {
        List<Device> devices = nonEmpty("gpus", ids).stream().map(Dsl::gpu).toList();
        return with(Axis.named("device", "GPU", devices, (s, d) -> s.on(d.times(gpuCount(s))), Device::cell,
                Set.of("device"), DEVICE));
    }

    /** Devices of any kind, with their counts: {@code devices(gpu("rtx-4090"), gpus(2, "rtx-3090"), apple("m3-max-40c-64gb"))}. */
    public Sweep devices(Device... devices) {
        return with(Axis.named("device", "device", nonEmpty("devices", devices), Setup::on, Device::cell,
                Set.of("device", "count"), DEVICE));
    }

    /** Models by catalog id, config.json path or size: {@code models("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-7B")}. */
    public Sweep models(String... refs) {
        List<gpupoor.calc.ModelSpec> models = nonEmpty("models", refs).stream().map(Catalog.get()::model).toList();
        return with(Axis.named("model", "model", models, Setup::model, gpupoor.calc.ModelSpec::id,
                Set.of("model"), MODEL));
    }

    /** Runtimes: {@code frameworks(HF, VLLM, LLAMA_CPP)}. */
    public Sweep frameworks(Framework... frameworks) {
        return with(Axis.named("framework", "framework", nonEmpty("frameworks", frameworks), Setup::framework,
                Framework::id, Set.of("framework"), FRAMEWORK));
    }

    /** Fine-tuning methods: {@code finetunes(FULL, LORA, QLORA)} (each as {@link Setup#finetune} makes it). */
    public Sweep finetunes(TrainMethod... methods) {
        return with(Axis.named("finetune", "fine-tuning method", nonEmpty("finetunes", methods), Setup::finetune,
                Setup::trainLabel, Set.of("mode"), MODE));
    }

    /** Optimizers: {@code optimizers(ADAMW, ADAM_8BIT, SGD)}. */
    public Sweep optimizers(Optimizer... optimizers) {
        return with(Axis.named("optimizer", "optimizer", nonEmpty("optimizers", optimizers), Setup::optimizer,
                Optimizer::id, Set.of("optimizer"), TRAINING).forTraining());
    }

    /** Gradient checkpointing off and on: {@code gradientCheckpointing(false, true)}. */
    public Sweep gradientCheckpointing(boolean... values) {
        return with(Axis.named("gradient_checkpointing", "gradient checkpointing", booleans("gradientCheckpointing", values),
                Setup::gradientCheckpointing,
                b -> b ? "checkpointing" : "no checkpointing", Set.of("checkpointing"), TRAINING).forTraining());
    }

    // ------------------------------------------------------------------ runtime knobs

    /**
     * Flash attention off and on: {@code flashAttention(false, true)} (each as {@link Setup#flashAttention} sets it;
     * llama.cpp's quantized KV caches need it on).
     */
    public Sweep flashAttention(boolean... values) {
        return with(Axis.named("flash_attention", "flash attention", booleans("flashAttention", values),
                Setup::flashAttention, b -> b ? "on" : "off", Set.of("flash_attention"), KNOB));
    }

    /** KV cache types: {@code kvCaches("f16", "q8_0", "q4_0")} (llama.cpp's quantized ones with flash attention on). */
    public Sweep kvCaches(String... types) {
        List<String> v = nonEmpty("kvCaches", types).stream().map(t -> gpupoor.calc.KvCacheType.parse(t).id()).toList();
        return with(Axis.named("kv_cache", "KV cache", v, Setup::kvCache, t -> t, Set.of("kv_cache"), KNOB));
    }

    /** llama.cpp layers on the GPU (-1: all): {@code gpuLayers(0, 16, 32, -1)}. */
    public Sweep gpuLayers(int... counts) {
        return with(Axis.numeric("gpu_layers", "GPU layers", ints("gpuLayers", counts, -1), Setup::gpuLayers,
                Set.of("gpu_layers"), KNOB));
    }

    /** llama.cpp physical batch sizes: {@code ubatches(128, 512, 2048)}. */
    public Sweep ubatches(int... sizes) {
        return with(Axis.numeric("ubatch", "ubatch", ints("ubatches", sizes, 1), Setup::ubatch, Set.of("ubatch"), KNOB));
    }

    /** vLLM's memory shares: {@code gpuMemoryUtilizations(0.8, 0.9, 0.95)}. */
    public Sweep gpuMemoryUtilizations(double... shares) {
        if (shares == null || shares.length == 0) {
            throw new InvalidScenarioException("gpuMemoryUtilizations(...) needs at least one share, e.g. 0.9");
        }
        List<Double> v = new ArrayList<>();
        for (double d : shares) {
            v.add(d);
        }
        return with(Axis.named("gpu_memory_utilization", "GPU memory utilization", v, Setup::gpuMemoryUtilization,
                d -> gpupoor.calc.NumberText.plain(d), Set.of("gpu_memory_utilization"), KNOB));
    }

    /** How several devices share the model: {@code parallelisms("tensor", "layer")}. */
    public Sweep parallelisms(String... ids) {
        List<String> v = nonEmpty("parallelisms", ids).stream().map(t -> gpupoor.calc.Parallelism.parse(t).toString()).toList();
        return with(Axis.named("parallelism", "parallelism", v, Setup::parallelism, t -> t, Set.of("parallelism"), KNOB));
    }

    /** Full fine-tuning precisions: {@code precisions("mixed", "bf16")}. */
    public Sweep precisions(String... ids) {
        List<String> v = nonEmpty("precisions", ids).stream().map(t -> gpupoor.calc.Precision.parse(t).id()).toList();
        return with(Axis.named("precision", "precision", v, Setup::precision, t -> t, Set.of("precision"), KNOB)
                .forTraining());
    }

    /** LoRA target sets, each as {@link Setup#loraTargets} takes it: {@code loraTargets("q,v", "all")}. */
    public Sweep loraTargets(String... sets) {
        List<String> v = nonEmpty("loraTargets", sets).stream().map(t -> gpupoor.calc.LoraTargets.parse(t).id()).toList();
        return with(Axis.named("lora_targets", "LoRA targets", v, (s, t) -> s.loraTargets(t), t -> t,
                Set.of("lora_targets"), KNOB).forTraining());
    }

    private static List<Boolean> booleans(String what, boolean... values) {
        if (values == null || values.length == 0) {
            throw new InvalidScenarioException(what + "(...) needs at least one value: false, true");
        }
        List<Boolean> v = new ArrayList<>();
        for (boolean b : values) {
            v.add(b);
        }
        return v;
    }

    private static List<Integer> ints(String what, int[] values, int min) {
        if (values == null || values.length == 0) {
            throw new InvalidScenarioException(what + "(...) needs at least one value");
        }
        List<Integer> v = new ArrayList<>();
        for (int n : values) {
            if (n < min) {
                throw new InvalidScenarioException(what + "(...) values must be at least " + min + ", got " + n);
            }
            v.add(n);
        }
        return v;
    }

    /** Calculation methods: {@code using(GPU_POOR, DEFAULT)} puts the original's numbers beside ours. */
    public Sweep using(Method... methods) {
        return with(Axis.named("method", "calculation method", nonEmpty("using", methods), Setup::using, Method::id,
                Set.of("method"), METHOD));
    }

    /** Calculation methods by id: {@code using("gpu-poor", "default")}. */
    public Sweep using(String... ids) {
        return using(nonEmpty("using", ids).stream().map(Methods::parse).toArray(Method[]::new));
    }

    // ------------------------------------------------------------------ results

    /** Points in the sweep: the product of the ranges' sizes. */
    public int size() {
        long n = 1;
        for (Axis a : axes) {
            n *= a.size();
        }
        return (int) n;
    }

    /** The setup every point starts from. */
    public Setup base() {
        return base;
    }

    /**
     * One row per point: a column per swept parameter ({@code context_tokens}, {@code batch},
     * {@code quant}, {@code device}, …; a context sweep adds {@code prompt_tokens} and
     * {@code generate_tokens}), then {@code total_mib}, {@code total_low_mib} and {@code total_high_mib}
     * (the range the measured total likely lies in, from its error band: see {@code Report.range}),
     * {@code weights_mib}, {@code kv_cache_mib}, {@code activations_mib}, {@code grad_optimizer_mib},
     * {@code overhead_mib}, {@code capacity_mib} (what the runtime may use where the method models its
     * memory rule, else the devices' memory), {@code host_mib} (host memory beside the device:
     * allocated and mapped), {@code max_concurrency} (sequences of the point's length that run at once;
     * a serving runtime's KV pool), {@code fits}, {@code verdict} ({@code fits}, {@code may not fit}
     * when the capacity lies inside the total's range, {@code does not fit}), {@code gpus_needed},
     * {@code tokens_per_s} with {@code tokens_per_s_low} and {@code tokens_per_s_high},
     * {@code throughput_tokens_per_s}, {@code ms_per_token}, {@code prompt_s}, {@code ms_per_iteration},
     * {@code bound} and {@code error}; a serving runtime's point whose batch its KV pool cannot hold at
     * once has no speed (it would queue). Output columns with no value at any point are left out. A new
     * table each call. Example: {@code sweep(s).context(1024, 131072).table().stringColumn("verdict")}.
     */
    public Table table() {
        return points().table(name());
    }

    /**
     * A chart of {@code metric} over the first swept number (or bars over the first swept name),
     * one curve per value of the other swept parameters; memory charts show the device's capacity.
     */
    public Plot plot(Metric metric) {
        if (metric == null) {
            throw new InvalidScenarioException("plot(...) needs a metric: MEMORY, TOKENS_PER_SECOND, THROUGHPUT, "
                    + "MS_PER_TOKEN, PROMPT_SECONDS, MS_PER_ITERATION or GPUS_NEEDED");
        }
        return SweepPlots.metric(points(), metric, this::table);
    }

    /** The limit at every point: {@code sweep(s).quants(FP16, Q8_0, Q4_K_M).limit(MAX_CONTEXT)}. */
    public LimitSweep limit(Limit limit) {
        if (limit == null) {
            throw new InvalidScenarioException("limit(...) needs MAX_CONTEXT, MAX_BATCH, MAX_SEQUENCE, BEST_QUANT or FEWEST_GPUS");
        }
        return LimitSweep.compute(grid(), limit);
    }

    private String name() {
        return String.format("sweep of %,d points · %s", size(), base.toText());
    }

    private Grid grid() {
        if (!base.isTraining() && axes.stream().noneMatch(a -> a.sets().contains("mode"))) {
            for (Axis a : axes) {
                if (a.training()) {
                    throw new InvalidScenarioException("sweeping " + a.column() + " applies to fine-tuning: sweep "
                            + "s.finetune(LORA) (or FULL, QLORA), or add .finetunes(...)");
                }
            }
        }
        return new Grid(base, axes);
    }

    private SweepPoints points() {
        SweepPoints p = points;
        if (p == null) {
            p = SweepPoints.compute(grid());
            points = p;
        }
        return p;
    }

    /** Its first and last 10 rows as text (the whole table when it has at most 20), and how many more there are. */
    @Override
    public String toText() {
        SweepPoints p = points();
        String more = p.size > PREVIEW_ROWS ? String.format("%n… %,d rows in all; table() has every one", p.size) : "";
        return p.preview(name(), PREVIEW_ROWS / 2, PREVIEW_ROWS / 2).print(PREVIEW_ROWS) + more;
    }

    /** Its first and last 10 rows as an HTML table (the whole table when it has at most 20). */
    @Override
    public String toHtml() {
        SweepPoints p = points();
        Table preview = p.preview(name(), PREVIEW_ROWS / 2, PREVIEW_ROWS / 2);
        if (p.size <= PREVIEW_ROWS) {
            return Html.table(preview, PREVIEW_ROWS);
        }
        return Html.table(preview, PREVIEW_ROWS / 2, p.size - PREVIEW_ROWS)
                + String.format("<p>%,d rows in all; <code>table()</code> has every one</p>", p.size);
    }

    @Override
    public String toString() {
        return toText();
    }

    private static int gpuCount(Setup s) {
        Device d = s.device();
        return d != null && d.hardware().isGpu() ? d.count() : 1;
    }

    @SafeVarargs
    private static <T> List<T> nonEmpty(String call, T... values) {
        if (values == null || values.length == 0) {
            throw new InvalidScenarioException(call + "(...) needs at least one value");
        }
        for (T v : values) {
            if (v == null) {
                throw new InvalidScenarioException(call + "(...) values may not be null");
            }
        }
        return Arrays.stream(values).toList();
    }
}
