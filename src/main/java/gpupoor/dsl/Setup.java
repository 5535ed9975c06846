package gpupoor.dsl;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.NumberText;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A model, how it is stored and run, what it is asked to do, where, and which calculation method
 * estimates it. Immutable in the java.time style: every call returns a new setup, so one base
 * can be varied freely:
 *
 * <pre>{@code
 * var s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M).prompt(512).generate(512);
 * s.estimate();                                   // memory breakdown and speed
 * s.finetune(LORA).rank(16).sequence(2048).estimate();
 * s.using(GPU_POOR).estimate();                   // the original calculator's numbers
 * }</pre>
 *
 * <p>Defaults: inference, prompt 512, generate 512, batch 1, fp16 weights, the default method, no
 * device; the framework, unless given, is {@link Framework#defaultFor} (llama.cpp for a GGUF
 * quantization or a CPU/Apple chip in inference, else Hugging Face transformers), as on the command line.
 */
public final class Setup implements Displayable {

    private final Scenario scenario;
    private final boolean frameworkGiven;
    private final Method method;

    private Setup(Scenario scenario, boolean frameworkGiven, Method method) {
        this.scenario = frameworkGiven ? scenario : scenario.withFramework(
                Framework.defaultFor(scenario.quant(), scenario.device(), scenario.workload().mode()));
        this.frameworkGiven = frameworkGiven;
        this.method = method;
    }

    /** A setup of {@code model} with the defaults. */
    public static Setup of(ModelSpec model) {
        return new Setup(Scenario.of(model, Workload.inference(512, 512)), false, Methods.DEFAULT);
    }

    /** A setup of an engine scenario (its framework kept as given) estimated by {@code method}. */
    public static Setup of(Scenario scenario, Method method) {
        if (scenario == null || method == null) {
            throw new InvalidScenarioException("a setup needs a scenario and a calculation method");
        }
        return new Setup(scenario, true, method);
    }

    private Setup with(Scenario s) {
        return new Setup(s, frameworkGiven, method);
    }

    private Setup withWorkload(Workload w) {
        return with(scenario.withWorkload(w));
    }

    // ------------------------------------------------------------------ what runs where

    /** Another model: a catalog id, an id of the original's table, a config.json path, or a size such as {@code "7B"}. */
    public Setup model(String ref) {
        return model(Catalog.get().model(ref));
    }

    /** Another model, as the catalog resolved it. */
    public Setup model(ModelSpec spec) {
        if (spec == null) {
            throw new InvalidScenarioException("model(...) needs a model: a catalog id, a config.json path or a size like \"7B\"");
        }
        return with(scenario.withModel(spec));
    }

    /** On a device: {@code gpu("rtx-4090")}, {@code gpus(2, "a100-sxm4-80gb")}, {@code apple(..)} or {@code cpu("7950x").ddr5()}. */
    public Setup on(Device device) {
        if (device == null) {
            throw new InvalidScenarioException("on(...) needs a device, e.g. gpu(\"rtx-4090\")");
        }
        return with(scenario.withDevice(device.hardware()).withDeviceCount(device.count()).withDdr(device.ddr()));
    }

    /** On one device given by its catalog id or the original's key, of any kind. */
    public Setup on(String deviceId) {
        return on(Device.of(deviceId));
    }

    /** With a runtime: {@code HF}, {@code VLLM} or {@code LLAMA_CPP}. */
    public Setup framework(Framework framework) {
        if (framework == null) {
            throw new InvalidScenarioException("framework(...) needs one of: " + String.join(", ", Framework.ids()));
        }
        return new Setup(scenario.withFramework(framework), true, method);
    }

    /** With a runtime by id: {@code hf}, {@code vllm} or {@code llama.cpp}. */
    public Setup framework(String id) {
        return framework(Framework.parse(id));
    }

    /** A copy whose framework follows the quantization and device again, as when none was given. */
    public Setup defaultFramework() {
        return new Setup(scenario, false, method);
    }

    /** With weights stored as {@code quant}: {@code FP16}, {@code BNB_NF4}, {@code Q4_K_M}, ... */
    public Setup quant(Quant quant) {
        if (quant == null) {
            throw new InvalidScenarioException("quant(...) needs one of: " + String.join(", ", Quant.ids()));
        }
        return with(scenario.withQuant(quant));
    }

    /** With weights stored as the quantization of that id ({@code "Q4_K_M"}, {@code "bnb-nf4"}, {@code "fp16"}). */
    public Setup quant(String id) {
        return quant(Quant.parse(id));
    }

    /** Estimated by {@code method}: {@code DEFAULT} (ours) or {@code GPU_POOR} (the original calculator). */
    public Setup using(Method method) {
        if (method == null) {
            throw new InvalidScenarioException("using(...) needs a method: DEFAULT or GPU_POOR");
        }
        return new Setup(scenario, frameworkGiven, method);
    }

    /** Estimated by the method of that id: {@code default} or {@code gpu-poor}. */
    public Setup using(String methodId) {
        return using(Methods.parse(methodId));
    }

    // ------------------------------------------------------------------ inference workload

    /** With a prompt of {@code tokens} (in fine-tuning, prefer {@link #sequence}). */
    public Setup prompt(int tokens) {
        return withWorkload(scenario.workload().withPrompt(tokens));
    }

    /** Generating {@code tokens} per sequence. */
    public Setup generate(int tokens) {
        return withWorkload(scenario.workload().withGenerate(tokens));
    }

    /**
     * With a context of {@code tokens} (prompt + generated): the generated tokens stay as given but
     * at most half the context, the prompt takes the rest.
     */
    public Setup context(int tokens) {
        return with(gpupoor.calc.Fit.withContext(scenario, tokens));
    }

    /** With {@code n} sequences processed together. */
    public Setup batch(int n) {
        return withWorkload(scenario.workload().withBatch(n));
    }

    // ------------------------------------------------------------------ fine-tuning

    /**
     * Fine-tuning with {@code FULL}, {@code LORA} or {@code QLORA} on sequences of the current
     * prompt length (change it with {@link #sequence}), generating 1 token as the original asks.
     * Training runs on Hugging Face transformers; a GGUF quantization, which cannot be trained,
     * becomes fp16, and QLoRA, whose base is 4-bit NF4 by definition, takes quantization none.
     */
    public Setup finetune(TrainMethod how) {
        if (how == null) {
            throw new InvalidScenarioException("finetune(...) needs FULL, LORA or QLORA");
        }
        Scenario s = scenario.withWorkload(scenario.workload().withMode(gpupoor.calc.Mode.TRAINING).withMethod(how)
                .withGenerate(1));
        if (how == TrainMethod.QLORA || s.quant().isGguf()) {
            s = s.withQuant(Quant.NONE);
        }
        return new Setup(s, false, method);
    }

    /** Fine-tuning with the method of that id: {@code full}, {@code lora} or {@code qlora}. */
    public Setup finetune(String how) {
        return finetune(TrainMethod.parse(how));
    }

    /** Fine-tuning on sequences of {@code tokens}. */
    public Setup sequence(int tokens) {
        requireTraining("sequence(...)");
        return prompt(tokens);
    }

    /** Fine-tuning with LoRA rank {@code r} (the gpu-poor method always uses 8). */
    public Setup rank(int r) {
        requireTraining("rank(...)");
        return withWorkload(scenario.workload().withLoraRank(r));
    }

    /** Fine-tuning with an optimizer: {@code ADAM}, {@code ADAMW}, {@code ADAM_8BIT}, {@code SGD}, {@code SGD_MOMENTUM}. */
    public Setup optimizer(Optimizer optimizer) {
        requireTraining("optimizer(...)");
        if (optimizer == null) {
            throw new InvalidScenarioException("optimizer(...) needs one of: " + String.join(", ", Optimizer.ids()));
        }
        return withWorkload(scenario.workload().withOptimizer(optimizer));
    }

    /** Fine-tuning with the optimizer of that id ({@code "adamw"}, {@code "adam-8bit"}, ...). */
    public Setup optimizer(String id) {
        return optimizer(Optimizer.parse(id));
    }

    /** Fine-tuning with gradient checkpointing (activations recomputed in the backward pass). */
    public Setup gradientCheckpointing() {
        return gradientCheckpointing(true);
    }

    /** Fine-tuning with gradient checkpointing on or off. */
    public Setup gradientCheckpointing(boolean on) {
        requireTraining("gradientCheckpointing(...)");
        return withWorkload(scenario.workload().withGradientCheckpointing(on));
    }

    private void requireTraining(String call) {
        if (!scenario.workload().isTraining()) {
            throw new InvalidScenarioException(call + " applies to fine-tuning: call finetune(LORA) (or FULL, QLORA) first");
        }
    }

    // ------------------------------------------------------------------ runtime knobs (default method)
    // The gpu-poor method ignores these; each changes one of the scenario's Options and keeps the others.

    /**
     * With a KV cache of {@code type}: {@code f16} (the default), {@code fp8} (vLLM), {@code q8_0} or
     * {@code q4_0} (llama.cpp's {@code -ctk/-ctv}).
     */
    public Setup kvCache(String type) {
        return withOptions(options().withKvCacheType(type));
    }

    /**
     * With flash attention on or off. Unset, each framework's default applies: llama.cpp off
     * ({@code -fa} turns it on), Hugging Face SDPA (no attention matrix kept), vLLM on.
     */
    public Setup flashAttention(boolean on) {
        return withOptions(options().withFlashAttention(on));
    }

    /**
     * With vLLM's {@code gpu_memory_utilization}: the share of each GPU's memory vLLM takes, whatever
     * its weights, activations and CUDA graphs leave becoming the KV-cache pool (0 &lt; fraction
     * &le; 1; default 0.9).
     */
    public Setup gpuMemoryUtilization(double fraction) {
        return withOptions(options().withGpuMemoryUtilization(fraction));
    }

    /** With llama.cpp's physical batch {@code -ub} (default 512); its compute buffers and prompt chunks scale with it. */
    public Setup ubatch(int n) {
        return withOptions(options().withUbatch(n));
    }

    /**
     * With llama.cpp's {@code -ngl}: the layers offloaded to the GPU, -1 for all (the default), 0 to
     * run on the CPU only; the layers left run from host memory (see {@link #hostBandwidth}).
     */
    public Setup gpuLayers(int n) {
        return withOptions(options().withGpuLayers(n));
    }

    /**
     * With the host memory bandwidth in GB/s that llama.cpp layers left on the CPU read from
     * ({@link #gpuLayers}); 0 (the default) means a typical dual-channel desktop, from the calibration.
     */
    public Setup hostBandwidth(double gbs) {
        return withOptions(options().withHostBandwidthGBs(gbs));
    }

    /**
     * With several devices sharing the model by {@code TENSOR} parallelism (every layer split, an
     * all-reduce per layer), {@code LAYER} split (consecutive layers per device), or, for fine-tuning,
     * {@code DATA} parallel (a full copy per device) or {@code SHARDED} (FSDP / ZeRO-3). Unset, the
     * framework's default applies: llama.cpp and Hugging Face inference split layers, vLLM runs
     * tensor parallel, fine-tuning is data parallel.
     */
    public Setup parallelism(Options.Parallelism how) {
        if (how == null) {
            throw new InvalidScenarioException("parallelism(...) needs TENSOR, LAYER, DATA or SHARDED");
        }
        return withOptions(options().withParallelism(how));
    }

    /** With the parallelism of that id: {@code tensor}, {@code layer}, {@code data} or {@code sharded} (see {@link #parallelism(Options.Parallelism)}). */
    public Setup parallelism(String id) {
        return parallelism(Options.Parallelism.parse(id));
    }

    /**
     * Fine-tuning LoRA adapters on {@code modules}: {@code "all"}, or any of {@code q}, {@code k},
     * {@code v}, {@code o}, {@code gate}, {@code up}, {@code down} (a {@code _proj} suffix is
     * accepted); the default is {@code q, v}. Example: {@code .loraTargets("q", "k", "v", "o")}.
     */
    public Setup loraTargets(String... modules) {
        requireTraining("loraTargets(...)");
        if (modules == null || modules.length == 0) {
            throw new InvalidScenarioException("loraTargets(...) needs modules: \"all\" or some of "
                    + String.join(", ", Options.LORA_MODULES));
        }
        return withOptions(options().withLoraTargets(String.join(",", modules)));
    }

    /**
     * Full fine-tuning in {@code precision}: {@code mixed} (bf16 compute with fp32 master weights,
     * gradients and optimizer states; the default), {@code bf16} (everything bf16) or {@code fp32}.
     */
    public Setup precision(String precision) {
        requireTraining("precision(...)");
        return withOptions(options().withPrecision(precision));
    }

    /** With all runtime options at once (the knobs above change one each). */
    public Setup options(Options options) {
        if (options == null) {
            throw new InvalidScenarioException("options(...) needs runtime options, e.g. Options.DEFAULTS");
        }
        return withOptions(options);
    }

    /** The runtime options the default method models (KV cache type, flash attention, ...). */
    public Options options() {
        return scenario.options();
    }

    private Setup withOptions(Options o) {
        return with(scenario.withOptions(o));
    }

    // ------------------------------------------------------------------ results and parts

    /** The memory breakdown, speed or fine-tuning time, as the setup's method estimates them. */
    public Report estimate() {
        return new Report(this, method.estimate(scenario));
    }

    /** The engine scenario (framework resolved). */
    public Scenario scenario() {
        return scenario;
    }

    /** The calculation method. */
    public Method method() {
        return method;
    }

    /** The model. */
    public ModelSpec model() {
        return scenario.model();
    }

    /** The weights' storage. */
    public Quant quant() {
        return scenario.quant();
    }

    /** The runtime. */
    public Framework framework() {
        return scenario.framework();
    }

    /** The workload (prompt, generation, batch; fine-tuning method, optimizer, rank). */
    public Workload workload() {
        return scenario.workload();
    }

    /** The device, or null when none is given. */
    public Device device() {
        return scenario.device() == null ? null : new Device(scenario.device(), scenario.deviceCount(), scenario.ddr());
    }

    /** Tokens per sequence: prompt + generated. */
    public int context() {
        return scenario.workload().totalTokens();
    }

    /** Whether this is a fine-tuning setup. */
    public boolean isTraining() {
        return scenario.workload().isTraining();
    }

    /** One line: model, storage and runtime, workload, device, method. */
    @Override
    public String toText() {
        Workload w = scenario.workload();
        StringBuilder sb = new StringBuilder(scenario.model().id()).append(" · ");
        if (w.isTraining()) {
            TrainMethod m = w.method() == null ? TrainMethod.FULL : w.method();
            sb.append(trainLabel(m)).append(" fine-tuning (");
            if (m != TrainMethod.FULL) {
                sb.append("rank ").append(w.loraRank()).append(", ");
            }
            sb.append(w.optimizer().id()).append(w.gradientCheckpointing() ? ", gradient checkpointing" : "")
                    .append(") · sequence ").append(Format.count(w.promptTokens())).append(" tokens");
        } else {
            sb.append("prompt ").append(Format.count(w.promptTokens())).append(" + generate ")
                    .append(Format.count(w.generateTokens())).append(" tokens");
        }
        sb.append(", batch ").append(w.batch()).append(" · ").append(storageLabel()).append(" on ")
                .append(scenario.framework().id());
        List<String> knobs = knobsText();
        if (!knobs.isEmpty()) {
            sb.append(" (").append(String.join(", ", knobs)).append(')');
        }
        Device d = device();
        sb.append(" · ").append(d == null ? "no device" : d.label()).append(" · ").append(method.id()).append(" method");
        return sb.toString();
    }

    @Override
    public String toHtml() {
        return "<div>" + Html.escape(toText()) + "</div>";
    }

    @Override
    public String toString() {
        return toText();
    }

    /** The runtime options that differ from {@link Options#DEFAULTS}, one short phrase each. */
    private List<String> knobsText() {
        Options o = scenario.options();
        Options d = Options.DEFAULTS;
        List<String> out = new ArrayList<>();
        if (!o.kvCacheType().equalsIgnoreCase(d.kvCacheType())) {
            out.add("KV cache " + o.kvCacheType());
        }
        if (o.flashAttention() != null) {
            out.add("flash attention " + (o.flashAttention() ? "on" : "off"));
        }
        if (o.gpuMemoryUtilization() != d.gpuMemoryUtilization()) {
            out.add("gpu_memory_utilization " + NumberText.plain(o.gpuMemoryUtilization()));
        }
        if (o.ubatch() != d.ubatch()) {
            out.add("ubatch " + o.ubatch());
        }
        if (o.gpuLayers() != d.gpuLayers()) {
            out.add(o.gpuLayers() + " layers on the GPU");
        }
        if (o.hostBandwidthGBs() != d.hostBandwidthGBs()) {
            out.add("host memory " + NumberText.plain(o.hostBandwidthGBs()) + " GB/s");
        }
        if (o.parallelism() != null) {
            out.add(o.parallelism() + " parallel");
        }
        if (!o.loraTargets().equals(d.loraTargets())) {
            out.add("LoRA on " + o.loraTargets());
        }
        if (!o.precision().equals(d.precision())) {
            out.add(o.precision() + " precision");
        }
        return out;
    }

    /** How the weights are stored: {@code nf4} for QLoRA's base, else as {@link #quantLabel}. */
    String storageLabel() {
        Workload w = scenario.workload();
        return w.isTraining() && w.method() == TrainMethod.QLORA && scenario.quant() == Quant.NONE ? "nf4"
                : quantLabel(scenario.quant());
    }

    /** {@code fp16} for unquantized weights, else the quantization id. */
    static String quantLabel(Quant q) {
        return q == Quant.NONE ? "fp16" : q.id();
    }

    /** {@code full}, {@code LoRA} or {@code QLoRA}. */
    static String trainLabel(TrainMethod m) {
        return switch (m) {
            case FULL -> "full";
            case LORA -> "LoRA";
            case QLORA -> "QLoRA";
        };
    }
}
