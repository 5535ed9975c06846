package gpupoor.dsl;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Workload;
import gpupoor.catalog.Catalog;

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

    /** With a KV cache of {@code type}: {@code f16}, {@code fp8}, {@code q8_0} or {@code q4_0} (default method). */
    public Setup kvCache(String type) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(type, o.flashAttention(), o.gpuMemoryUtilization(), o.ubatch(),
                o.gpuLayers(), o.parallelism())));
    }

    /** With flash attention on or off (default method; unset: the framework's default). */
    public Setup flashAttention(boolean on) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(o.kvCacheType(), on, o.gpuMemoryUtilization(), o.ubatch(),
                o.gpuLayers(), o.parallelism())));
    }

    /** With vLLM's {@code gpu_memory_utilization} (0 &lt; fraction &le; 1; default 0.9). */
    public Setup gpuMemoryUtilization(double fraction) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(o.kvCacheType(), o.flashAttention(), fraction, o.ubatch(),
                o.gpuLayers(), o.parallelism())));
    }

    /** With llama.cpp's physical batch {@code -ub} (default 512). */
    public Setup ubatch(int n) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(o.kvCacheType(), o.flashAttention(), o.gpuMemoryUtilization(), n,
                o.gpuLayers(), o.parallelism())));
    }

    /** With llama.cpp's {@code -ngl}: layers offloaded to the GPU (-1: all, the default). */
    public Setup gpuLayers(int n) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(o.kvCacheType(), o.flashAttention(), o.gpuMemoryUtilization(),
                o.ubatch(), n, o.parallelism())));
    }

    /** With several GPUs splitting the model by {@code TENSOR} parallelism (the default) or by {@code LAYER}s. */
    public Setup parallelism(Options.Parallelism how) {
        Options o = scenario.options();
        return with(scenario.withOptions(new Options(o.kvCacheType(), o.flashAttention(), o.gpuMemoryUtilization(),
                o.ubatch(), o.gpuLayers(), how)));
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
