package gpupoor.dsl;

import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.CpuOffload;
import gpupoor.calc.Framework;
import gpupoor.calc.Input;
import gpupoor.calc.Interconnect;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.KvCacheType;
import gpupoor.calc.LoraTargets;
import gpupoor.calc.Method;
import gpupoor.calc.Methods;
import gpupoor.calc.Mode;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.NumberText;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Precision;
import gpupoor.calc.Quant;
import gpupoor.calc.RuntimeVersion;
import gpupoor.calc.Scenario;
import gpupoor.calc.ServingOptions;
import gpupoor.calc.SplitMode;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.TrainingOptions;
import gpupoor.calc.Workload;
import gpupoor.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

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
 * <p>A setup holds the engine's {@link Scenario.Builder}: what is not given gets the engine's
 * {@link gpupoor.calc.Defaults} (inference, prompt 512, generate 512, batch 1, fp16 weights) and the
 * runtime, unless given, is {@link Framework#defaultFor} (llama.cpp for a GGUF quantization or a
 * CPU/Apple chip in inference, else Hugging Face transformers), as on the command line. Calls may
 * come in any order; a combination the engine refuses is reported when the setup is estimated,
 * swept or fitted, in the DSL's own terms ({@link #STYLE}).
 */
public final class Setup implements Displayable {

    /** Inputs written as the DSL calls that set them: {@code .framework("llama.cpp")}. */
    public static final Input.Style STYLE = Setup::call;

    private final Scenario.Builder builder;
    private final Method method;
    private Scenario scenario;

    private Setup(Scenario.Builder builder, Method method) {
        this.builder = builder;
        this.method = method;
    }

    /** A setup of {@code model} with the defaults. */
    public static Setup of(ModelSpec model) {
        return new Setup(Scenario.builder().model(model), Methods.DEFAULT);
    }

    /** A setup of an engine scenario (its framework kept as given) estimated by {@code method}. */
    public static Setup of(Scenario scenario, Method method) {
        if (scenario == null || method == null) {
            throw new InvalidScenarioException("a setup needs a scenario and a calculation method");
        }
        return new Setup(scenario.toBuilder(), method);
    }

    /** A setup of what a builder holds (its framework, unless given, picked per variation) estimated by {@code method}. */
    public static Setup of(Scenario.Builder builder, Method method) {
        if (builder == null || method == null) {
            throw new InvalidScenarioException("a setup needs a scenario builder and a calculation method");
        }
        return new Setup(builder.copy(), method);
    }

    /**
     * A copy whose builder has one more change: {@code change} applied with {@code value}. The change
     * takes its value as an argument rather than capturing it, so that it is a constant: a sweep
     * applies its axes' values to every point, and the kernel's JIT (C1) makes a capturing lambda
     * through a method handle at many times the cost of the change itself.
     */
    private <T> Setup with(BiConsumer<Scenario.Builder, T> change, T value) {
        Scenario.Builder b = builder.copy();
        try {
            change.accept(b, value);
        } catch (InvalidScenarioException e) {
            throw e.in(STYLE);
        }
        return new Setup(b, method);
    }

    /** An engine message in the DSL's terms. */
    static String message(InvalidScenarioException e) {
        return e.in(STYLE).getMessage();
    }

    /** Engine text (a note, an assumption) in the DSL's terms. */
    static String text(String engineText) {
        return Input.render(engineText, STYLE);
    }

    /** The DSL call that sets {@code input} to {@code value} (null: the call itself). */
    private static String call(Input input, String value) {
        String v = value == null ? ".." : value;
        String quoted = value == null ? ".." : "\"" + value + "\"";
        return switch (input) {
            case MODEL -> "model(" + quoted + ")";
            case SIZE -> "model(" + (value == null ? ".." : "\"" + value + "B\"") + ")";
            case MODE -> "training".equals(value) ? ".finetune(..)" : "the inference setup (no .finetune(..))";
            case FRAMEWORK -> ".framework(" + quoted + ")";
            case QUANT -> ".quant(" + quoted + ")";
            case METHOD -> ".finetune(" + (value == null ? ".." : value.toUpperCase(java.util.Locale.ROOT)) + ")";
            case OPTIMIZER -> ".optimizer(" + quoted + ")";
            case GRAD_CHECKPOINTING -> ".gradientCheckpointing(" + (value == null ? "" : v) + ")";
            case LORA_RANK -> ".rank(" + v + ")";
            case LORA_TARGETS -> ".loraTargets(" + quoted + ")";
            case PRECISION -> ".precision(" + quoted + ")";
            case PROMPT -> ".prompt(" + v + ")";
            case GENERATE -> ".generate(" + v + ")";
            case BATCH -> ".batch(" + v + ")";
            case DEVICE -> ".on(device(" + quoted + "))";
            case DEVICE_SPEC -> "gpu(" + quoted + ")";
            case DEVICES -> ".on(gpus(" + v + ", ..))";
            case DDR -> "cpu(..)." + (value == null ? "ddr4()/.ddr5()" : value + "()");
            case KV_CACHE -> ".kvCache(" + quoted + ")";
            case FLASH_ATTENTION -> ".flashAttention(" + (value == null ? ".." : String.valueOf("on".equals(value))) + ")";
            case GPU_MEMORY_UTILIZATION -> ".gpuMemoryUtilization(" + v + ")";
            case UBATCH -> ".ubatch(" + v + ")";
            case GPU_LAYERS -> ".gpuLayers(" + ("all".equals(value) ? "-1" : v) + ")";
            case PARALLELISM -> ".parallelism(" + quoted + ")";
            case HOST_BANDWIDTH -> ".hostBandwidth(" + v + ")";
            case INTERCONNECT -> ".interconnect(" + quoted + ")";
            case SPLIT_MODE -> ".splitMode(" + quoted + ")";
            case MAX_MODEL_LEN -> ".maxModelLen(" + v + ")";
            case MAX_NUM_SEQS -> ".maxNumSeqs(" + v + ")";
            case MAX_NUM_BATCHED_TOKENS -> ".maxNumBatchedTokens(" + v + ")";
            case ENFORCE_EAGER -> ".enforceEager(" + (value == null ? ".." : String.valueOf("on".equals(value))) + ")";
            case MAX_LORA_RANK -> ".maxLoraRank(" + v + ")";
            case THREADS -> ".threads(" + v + ")";
            case LOGICAL_BATCH -> ".logicalBatch(" + v + ")";
            case RUNTIME_VERSION -> ".runtimeVersion(" + quoted + ")";
            case EXL2_BITS -> ".quant(\"exl2-" + v + "\")";
            case NO_MMAP -> ".noMmap(" + (value == null ? ".." : String.valueOf("on".equals(value))) + ")";
            case GPTQ_KERNEL -> ".gptqKernel(" + quoted + ")";
            case BNB_4BIT_TYPE -> ".bnb4bitType(" + quoted + ")";
            case BNB_DOUBLE_QUANT -> ".bnbDoubleQuant(" + (value == null ? ".." : String.valueOf("on".equals(value))) + ")";
            case UNQUANTIZED_MODULES -> ".unquantizedModules(" + quoted + ")";
            case CALC -> ".using(" + quoted + ")";
            case COMPILE -> ".compile(" + onOff(value) + ")";
            case CHUNKED_LOSS -> ".chunkedLoss(" + onOff(value) + ")";
            case OPTIMIZER_IN_BACKWARD -> ".optimizerInBackward(" + onOff(value) + ")";
            case ACTIVATION_OFFLOADING -> ".activationOffloading(" + onOff(value) + ")";
            case CPU_OFFLOAD -> ".cpuOffload(" + quoted + ")";
            case ZERO -> ".zero(" + v + ")";
        };
    }

    /** A switch's value as a DSL argument: {@code on} is {@code true}, {@code off} {@code false}, none {@code ..}. */
    private static String onOff(String value) {
        return value == null ? ".." : String.valueOf("on".equals(value));
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
        return with(Scenario.Builder::model, spec);
    }

    /** On a device: {@code gpu("rtx-4090")}, {@code gpus(2, "a100-sxm4-80gb")}, {@code apple(..)} or {@code cpu("7950x").ddr5()}. */
    public Setup on(Device device) {
        if (device == null) {
            throw new InvalidScenarioException("on(...) needs a device, e.g. gpu(\"rtx-4090\")");
        }
        return with((b, d) -> b.device(d.hardware()).deviceCount(d.count()).ddr(d.ddr()), device);
    }

    /** On one device given by its catalog id or the original's key, of any kind. */
    public Setup on(String deviceId) {
        return on(Device.of(deviceId));
    }

    /**
     * With a runtime: {@code HF}, {@code VLLM} or {@code LLAMA_CPP}; for fine-tuning also
     * {@code UNSLOTH}, {@code TORCHTUNE} or {@code LITGPT} (each with its own defaults: precision,
     * optimizer, checkpointing, loss). Example: {@code s.finetune(QLORA).framework(UNSLOTH)}.
     */
    public Setup framework(Framework framework) {
        if (framework == null) {
            throw new InvalidScenarioException("framework(...) needs one of: " + String.join(", ", Framework.ids()));
        }
        return with(Scenario.Builder::framework, framework);
    }

    /** With a runtime by id: {@code hf}, {@code vllm}, {@code llama.cpp}, {@code unsloth}, {@code torchtune} or {@code litgpt}. */
    public Setup framework(String id) {
        return framework(Framework.parse(id));
    }

    /** A copy whose framework follows the quantization and device again, as when none was given. */
    public Setup defaultFramework() {
        return with(Scenario.Builder::framework, (Framework) null);
    }

    /**
     * With weights stored as {@code quant}: {@code FP16}, {@code BNB_NF4}, {@code Q4_K_M}, {@code EXL2}
     * (4.0 bits per weight; give other bits as text, {@code quant("exl2-4.65")}), {@code MLC_Q4F16_1},
     * {@code MLX_4BIT}, ... Example: {@code model("meta-llama/Llama-3.1-8B").quant(Q4_K_M)}.
     */
    public Setup quant(Quant quant) {
        if (quant == null) {
            throw new InvalidScenarioException("quant(...) needs one of: " + String.join(", ", Quant.ids()));
        }
        return withExl2Bits(quant, null);
    }

    /**
     * With weights stored as the quantization of that id ({@code "Q4_K_M"}, {@code "bnb-nf4"},
     * {@code "fp16"}, {@code "exl2-4.65"}, {@code "mlc-q4f16_1"}, {@code "mlx-4bit"}).
     * Example: {@code model("meta-llama/Llama-3.1-8B").quant("exl2-4.65")}.
     */
    public Setup quant(String id) {
        Quant q = Quant.parse(id);
        double bits = Quant.exl2Bits(id);
        return withExl2Bits(q, bits > 0 ? bits : null);
    }

    /** A copy with weights stored as {@code q}, EXL2 ones at {@code bits} per weight (null: 4.0 or not EXL2). */
    private Setup withExl2Bits(Quant q, Double bits) {
        return with(Scenario.Builder::quant, q).with((b, x) -> b.options(b.options().withServing(b.options().serving().withExl2Bits(x))), bits);
    }

    /** Estimated by {@code method}: {@code DEFAULT} (ours) or {@code GPU_POOR} (the original calculator). */
    public Setup using(Method method) {
        if (method == null) {
            throw new InvalidScenarioException("using(...) needs a method: DEFAULT or GPU_POOR");
        }
        return new Setup(builder, method);
    }

    /** Estimated by the method of that id: {@code default} or {@code gpu-poor}. */
    public Setup using(String methodId) {
        return using(Methods.parse(methodId));
    }

    // ------------------------------------------------------------------ inference workload

    /** With a prompt of {@code tokens} (in fine-tuning, prefer {@link #sequence}). */
    public Setup prompt(int tokens) {
        return with(Scenario.Builder::prompt, tokens);
    }

    /** Generating {@code tokens} per sequence. */
    public Setup generate(int tokens) {
        return with(Scenario.Builder::generate, tokens);
    }

    /**
     * With a context of {@code tokens} (prompt + generated): the generated tokens stay as given but
     * at most half the context, the prompt takes the rest.
     */
    public Setup context(int tokens) {
        if (tokens < 1) {
            throw new InvalidScenarioException("context(" + tokens + "): the context must be a positive number of tokens");
        }
        int generate = Math.min(scenario().workload().generateTokens(), tokens / 2);
        return with(Scenario.Builder::generate, generate).with(Scenario.Builder::prompt, tokens - generate);
    }

    /** With {@code n} sequences processed together. */
    public Setup batch(int n) {
        return with(Scenario.Builder::batch, n);
    }

    // ------------------------------------------------------------------ fine-tuning

    /**
     * Fine-tuning with {@code FULL}, {@code LORA} or {@code QLORA} on sequences of the current
     * prompt length (change it with {@link #sequence}), generating 1 token as the original asks.
     * Training runs on Hugging Face transformers unless {@link #framework} names a training runtime
     * (kept from setup to setup; an inference-only runtime is dropped); a GGUF
     * quantization, which cannot be trained, becomes fp16, and QLoRA, whose base is 4-bit NF4 by
     * definition, takes quantization none.
     */
    public Setup finetune(TrainMethod how) {
        if (how == null) {
            throw new InvalidScenarioException("finetune(...) needs FULL, LORA or QLORA");
        }
        return with((b, m) -> {
            b.mode(Mode.TRAINING).method(m).generate(null);
            if (b.framework() != null && !b.framework().trains()) {
                b.framework(null);
            }
            if (m == TrainMethod.QLORA || b.quant() != null && b.quant().isGguf()) {
                b.quant(Quant.NONE);
            }
        }, how);
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
        return with(Scenario.Builder::loraRank, r);
    }

    /**
     * Fine-tuning with an optimizer: {@code ADAM}, {@code ADAMW}, {@code ADAM_8BIT},
     * {@code PAGED_ADAMW}, {@code PAGED_ADAM_8BIT} (states in unified memory that pages out to the
     * host), {@code SGD}, {@code SGD_MOMENTUM}; unset, the training runtime's default.
     * Example: {@code s.finetune(FULL).optimizer(PAGED_ADAM_8BIT)}.
     */
    public Setup optimizer(Optimizer optimizer) {
        requireTraining("optimizer(...)");
        if (optimizer == null) {
            throw new InvalidScenarioException("optimizer(...) needs one of: " + String.join(", ", Optimizer.ids()));
        }
        return with(Scenario.Builder::optimizer, optimizer);
    }

    /** Fine-tuning with the optimizer of that id ({@code "adamw"}, {@code "adam-8bit"}, ...). */
    public Setup optimizer(String id) {
        return optimizer(Optimizer.parse(id));
    }

    /** Fine-tuning with gradient checkpointing (activations recomputed in the backward pass). */
    public Setup gradientCheckpointing() {
        return gradientCheckpointing(true);
    }

    /** Fine-tuning with gradient checkpointing on or off (unset: the training runtime's default). */
    public Setup gradientCheckpointing(boolean on) {
        requireTraining("gradientCheckpointing(...)");
        return with(Scenario.Builder::gradientCheckpointing, on);
    }

    // fine-tuning techniques (TrainingOptions); unset, each training runtime's default applies

    /**
     * Fine-tuning with {@code torch.compile} of the model and loss: fused kernels keep fewer
     * activations and run faster. Example: {@code s.finetune(LORA).framework(TORCHTUNE).compile()}.
     */
    public Setup compile() {
        return compile(true);
    }

    /** Fine-tuning with {@code torch.compile} on or off. Example: {@code s.finetune(LORA).compile(false)}. */
    public Setup compile(boolean on) {
        requireTraining("compile(...)");
        return withTraining(t -> t.withCompile(on));
    }

    /**
     * Fine-tuning with the cross-entropy computed over chunks of the sequence, never holding every
     * token's fp32 logits at once. Example: {@code s.finetune(LORA).chunkedLoss()}.
     */
    public Setup chunkedLoss() {
        return chunkedLoss(true);
    }

    /** Fine-tuning with the chunked loss on or off. Example: {@code s.finetune(LORA).framework(TORCHTUNE).chunkedLoss(false)}. */
    public Setup chunkedLoss(boolean on) {
        requireTraining("chunkedLoss(...)");
        return withTraining(t -> t.withChunkedLoss(on));
    }

    /**
     * Fine-tuning with the optimizer step fused into the backward pass: each gradient is applied and
     * freed as soon as it is ready, so no full set of gradients is held. Example:
     * {@code s.finetune(FULL).optimizerInBackward()}.
     */
    public Setup optimizerInBackward() {
        return optimizerInBackward(true);
    }

    /** Fine-tuning with the optimizer step in the backward pass on or off. Example: {@code s.finetune(FULL).optimizerInBackward(false)}. */
    public Setup optimizerInBackward(boolean on) {
        requireTraining("optimizerInBackward(...)");
        return withTraining(t -> t.withOptimizerInBackward(on));
    }

    /**
     * Fine-tuning with the activations saved for the backward pass moved to host memory (over
     * PCIe, overlapped with compute). Example: {@code s.finetune(LORA).gradientCheckpointing().activationOffloading()}.
     */
    public Setup activationOffloading() {
        return activationOffloading(true);
    }

    /** Fine-tuning with activation offloading on or off. Example: {@code s.finetune(LORA).activationOffloading(false)}. */
    public Setup activationOffloading(boolean on) {
        requireTraining("activationOffloading(...)");
        return withTraining(t -> t.withActivationOffloading(on));
    }

    /**
     * Fine-tuning with {@code "optimizer"} (states, master weights and gradients, stepped on the
     * CPU), {@code "params"}, {@code "all"} or {@code "none"} kept in host memory (DeepSpeed's
     * offload, FSDP's CPU offload). Example: {@code s.finetune(FULL).on(gpus(2, "rtx-4090")).zero(3).cpuOffload("all")}.
     */
    public Setup cpuOffload(String what) {
        requireTraining("cpuOffload(...)");
        CpuOffload c = CpuOffload.parse(what);
        return withTraining(t -> t.withCpuOffload(c));
    }

    /**
     * Fine-tuning on several GPUs with ZeRO stage {@code stage}: 0 (plain data parallel: everything
     * replicated), 1 (optimizer states sharded), 2 (and gradients), 3 (and parameters, as FSDP).
     * Example: {@code s.finetune(FULL).on(gpus(8, "a100-sxm4-80gb")).zero(2)}.
     */
    public Setup zero(int stage) {
        requireTraining("zero(...)");
        return withTraining(t -> t.withZero(stage));
    }

    private void requireTraining(String call) {
        if (builder.mode() != Mode.TRAINING) {
            throw new InvalidScenarioException(call + " applies to fine-tuning: call finetune(LORA) (or FULL, QLORA) first");
        }
    }

    // ------------------------------------------------------------------ runtime knobs (default method)
    // The gpu-poor method ignores these; each sets one of the scenario's Options and keeps the others.
    // A knob the runtime does not take is refused when the setup is estimated.

    /**
     * With a KV cache of {@code type}: {@code f16} (the default), {@code fp8} (vLLM), {@code q8_0} or
     * {@code q4_0} (llama.cpp's {@code -ctk/-ctv}, which need flash attention).
     * Example: {@code model("meta-llama/Llama-3.1-8B").quant(Q4_K_M).flashAttention(true).kvCache("q8_0")}.
     */
    public Setup kvCache(String type) {
        KvCacheType t = KvCacheType.parse(type);
        return withOptions(o -> o.withKvCache(t));
    }

    /**
     * With flash attention on or off. Unset, each framework's default applies: llama.cpp off
     * ({@code -fa} turns it on), Hugging Face SDPA (no attention matrix kept), vLLM on.
     * Example: {@code s.framework(LLAMA_CPP).flashAttention(true)}.
     */
    public Setup flashAttention(boolean on) {
        return withOptions(o -> o.withFlashAttention(on));
    }

    /**
     * With vLLM's {@code gpu_memory_utilization}: the share of each GPU's memory vLLM takes, whatever
     * its weights, activations and CUDA graphs leave becoming the KV-cache pool (0 &lt; fraction
     * &le; 1; default 0.9). Example: {@code s.framework(VLLM).gpuMemoryUtilization(0.8)}.
     */
    public Setup gpuMemoryUtilization(double fraction) {
        return withOptions(o -> o.withGpuMemoryUtilization(fraction));
    }

    /**
     * With llama.cpp's physical batch {@code -ub} (default 512); its compute buffers and prompt
     * chunks scale with it. Example: {@code s.framework(LLAMA_CPP).ubatch(2048)}.
     */
    public Setup ubatch(int n) {
        return withOptions(o -> o.withUbatch(n));
    }

    /**
     * With llama.cpp's {@code -ngl}: the layers offloaded to the GPU, -1 for all (the default), 0 to
     * run on the CPU only; the layers left run from host memory (see {@link #hostBandwidth}).
     * Example: {@code model("meta-llama/Llama-3.1-70B").quant(Q4_K_M).on(gpu("rtx-4090")).gpuLayers(40)}.
     */
    public Setup gpuLayers(int n) {
        return withOptions(o -> o.withGpuLayers(n));
    }

    /**
     * With the host memory bandwidth in GB/s that llama.cpp layers left on the CPU read from
     * ({@link #gpuLayers}); unset, a typical dual-channel desktop, from the calibration.
     * Example: {@code s.gpuLayers(40).hostBandwidth(89.6)}.
     */
    public Setup hostBandwidth(double gbs) {
        return withOptions(o -> o.withHostBandwidthGBs(gbs));
    }

    /**
     * With several devices sharing the model by {@code TENSOR} parallelism (every layer split, an
     * all-reduce per layer), {@code LAYER} split (consecutive layers per device), or, for fine-tuning,
     * {@code DATA} parallel (a full copy per device) or {@code SHARDED} (FSDP / ZeRO-3). Unset, the
     * framework's default applies: llama.cpp and Hugging Face inference split layers, vLLM runs
     * tensor parallel, fine-tuning is data parallel. Example: {@code s.on(gpus(4, "h100-sxm5-80gb")).parallelism(TENSOR)}.
     */
    public Setup parallelism(Parallelism how) {
        if (how == null) {
            throw new InvalidScenarioException("parallelism(...) needs TENSOR, LAYER, DATA or SHARDED");
        }
        return withOptions(o -> o.withParallelism(how));
    }

    /** With the parallelism of that id: {@code tensor}, {@code layer}, {@code data} or {@code sharded} (see {@link #parallelism(Parallelism)}). */
    public Setup parallelism(String id) {
        return parallelism(Parallelism.parse(id));
    }

    /**
     * Fine-tuning LoRA adapters on {@code modules}: {@code "all"}, or any of {@code q}, {@code k},
     * {@code v}, {@code o}, {@code gate}, {@code up}, {@code down} (a {@code _proj} suffix is
     * accepted); unset, the training runtime's default ({@code q, v} for Hugging Face and LitGPT,
     * every module but {@code k} for torchtune, all for Unsloth). Example: {@code .loraTargets("q", "k", "v", "o")}.
     */
    public Setup loraTargets(String... modules) {
        requireTraining("loraTargets(...)");
        if (modules == null || modules.length == 0) {
            throw new InvalidScenarioException("loraTargets(...) needs modules: \"all\" or some of q, k, v, o, gate, up, down");
        }
        LoraTargets t = LoraTargets.parse(String.join(",", modules));
        return withOptions(o -> o.withLoraTargets(t));
    }

    /**
     * Fine-tuning in {@code precision}: {@code mixed} (bf16 compute with fp32 master weights,
     * gradients, optimizer states and LoRA adapters; Hugging Face's default), {@code bf16}
     * (everything bf16; torchtune's and LitGPT's default) or {@code fp32}.
     * Example: {@code s.finetune(FULL).precision("bf16")}.
     */
    public Setup precision(String precision) {
        requireTraining("precision(...)");
        Precision p = Precision.parse(precision);
        return withOptions(o -> o.withPrecision(p));
    }

    // ------------------------------------------------------------------ serving and multi-device knobs (default method)

    /**
     * With several GPUs linked by {@code "pcie"} or {@code "nvlink"} (tensor parallelism's all-reduces and
     * a layer split's hops cross it); unset, NVLink on SXM boards, PCIe otherwise.
     * Example: {@code s.on(gpus(2, "rtx-3090")).framework(VLLM).interconnect("nvlink")}.
     */
    public Setup interconnect(String link) {
        Interconnect i = Interconnect.parse(link);
        return withServing(v -> v.withInterconnect(i));
    }

    /**
     * With llama.cpp's {@code --split-mode} over several GPUs: {@code "layer"} (the default: whole layers per
     * GPU, run one after another), {@code "row"} (every matrix split by rows) or {@code "tensor"} (tensor
     * parallel). Example: {@code s.on(gpus(4, "rtx-4090")).splitMode("row")}.
     */
    public Setup splitMode(String mode) {
        SplitMode m = SplitMode.parse(mode);
        return withServing(v -> v.withSplitMode(m));
    }

    /**
     * With a maximum sequence length: vLLM's {@code max_model_len} (its KV pool must hold one sequence of
     * it), llama.cpp's context {@code -c}, Ollama's {@code num_ctx}. Example: {@code s.framework(VLLM).maxModelLen(8192)}.
     */
    public Setup maxModelLen(int tokens) {
        return withServing(v -> v.withMaxModelLen(tokens));
    }

    /** With vLLM's {@code max_num_seqs}: the most sequences running at once. Example: {@code s.framework(VLLM).maxNumSeqs(64)}. */
    public Setup maxNumSeqs(int n) {
        return withServing(v -> v.withMaxNumSeqs(n));
    }

    /**
     * With vLLM's {@code max_num_batched_tokens}: the tokens of one scheduler step, which size its profiling
     * pass (the activation peak it reserves). Example: {@code s.framework(VLLM).maxNumBatchedTokens(2048)}.
     */
    public Setup maxNumBatchedTokens(int n) {
        return withServing(v -> v.withMaxNumBatchedTokens(n));
    }

    /** vLLM without CUDA graphs (no graph memory; every decode step pays the kernel launches). Example: {@code s.framework(VLLM).enforceEager(true)}. */
    public Setup enforceEager(boolean on) {
        return withServing(v -> v.withEnforceEager(on));
    }

    /** vLLM with LoRA adapters enabled up to {@code rank} (their buffers are reserved at start-up). Example: {@code s.framework(VLLM).maxLoraRank(64)}. */
    public Setup maxLoraRank(int rank) {
        return withServing(v -> v.withMaxLoraRank(rank));
    }

    /** llama.cpp on {@code n} CPU threads ({@code -t}); unset, the CPU's physical cores. Example: {@code s.on(cpu("ryzen-9-7950x")).threads(8)}. */
    public Setup threads(int n) {
        return withServing(v -> v.withThreads(n));
    }

    /**
     * With llama.cpp's logical batch {@code -b} (default 2048): the prompt tokens submitted at once, split
     * into ubatches. Example: {@code s.framework(LLAMA_CPP).logicalBatch(512)}.
     */
    public Setup logicalBatch(int n) {
        return withServing(v -> v.withLogicalBatch(n));
    }

    /**
     * Describing a runtime release: a llama.cpp build ({@code "b2795"}), a vLLM release ({@code "0.8.5"}) or
     * engine ({@code "v0"}); unset, each runtime's current release. Only defaults that changed between
     * releases differ. Example: {@code s.framework(LLAMA_CPP).runtimeVersion("b2795")}.
     */
    public Setup runtimeVersion(String version) {
        RuntimeVersion r = new RuntimeVersion(version);
        return withServing(v -> v.withRuntimeVersion(r));
    }

    /**
     * llama.cpp reading the weights into allocated host memory ({@code --no-mmap}) instead of mapping the file:
     * the host memory figure counts them as allocated. Example: {@code s.framework(LLAMA_CPP).noMmap(true)}.
     */
    public Setup noMmap(boolean on) {
        return withServing(v -> v.withNoMmap(on));
    }

    /**
     * transformers' GPTQ kernel: {@code "exllama"} (the default) or {@code "cuda-old"} (auto-gptq with
     * {@code disable_exllama}). Example: {@code s.quant(GPTQ_INT4).gptqKernel("cuda-old")}.
     */
    public Setup gptqKernel(String kernel) {
        String k = kernel == null ? null : kernel.trim().toLowerCase(java.util.Locale.ROOT);
        return withServing(v -> v.withGptqKernel(k));
    }

    /** bitsandbytes' 4-bit type: {@code "nf4"} (the default) or {@code "fp4"} (the same bytes). Example: {@code s.quant(BNB_NF4).bnb4bitType("fp4")}. */
    public Setup bnb4bitType(String type) {
        String t = type == null ? null : type.trim().toLowerCase(java.util.Locale.ROOT);
        return withServing(v -> v.withBnb4bitType(t));
    }

    /** bitsandbytes double quantization on or off (default: on for QLoRA, else off). Example: {@code s.quant(BNB_NF4).bnbDoubleQuant(true)}. */
    public Setup bnbDoubleQuant(boolean on) {
        return withServing(v -> v.withBnbDoubleQuant(on));
    }

    /**
     * Modules a quantized checkpoint keeps in 16 bits, as Hugging Face names ({@code "model.layers.1.mlp"},
     * {@code "model.layers.30.self_attn"}), comma-separated (Unsloth's dynamic 4-bit checkpoints).
     * Example: {@code s.quant(BNB_NF4).unquantizedModules("model.layers.1.mlp")}.
     */
    public Setup unquantizedModules(String modules) {
        return withServing(v -> v.withUnquantizedModules(modules));
    }

    private Setup withServing(UnaryOperator<ServingOptions> change) {
        return withOptions(o -> o.withServing(change.apply(o.serving())));
    }

    /** With all runtime options at once (the knobs above change one each). Example: {@code s.options(Options.NONE)}. */
    public Setup options(Options options) {
        if (options == null) {
            throw new InvalidScenarioException("options(...) needs runtime options, e.g. Options.NONE");
        }
        return with(Scenario.Builder::options, options);
    }

    /** The runtime options given (null fields: the runtime's defaults). */
    public Options options() {
        return builder.options();
    }

    private Setup withOptions(UnaryOperator<Options> change) {
        return with((b, f) -> b.options(f.apply(b.options())), change);
    }

    private Setup withTraining(UnaryOperator<TrainingOptions> change) {
        return withOptions(o -> o.withTraining(change.apply(o.training())));
    }

    // ------------------------------------------------------------------ results and parts

    /**
     * The memory breakdown, speed or fine-tuning time, as the setup's method estimates them.
     *
     * @throws InvalidScenarioException in the DSL's terms when the method refuses the setup
     */
    public Report estimate() {
        Scenario s = scenario();
        try {
            return new Report(this, method.estimate(s));
        } catch (InvalidScenarioException e) {
            throw e.in(STYLE);
        }
    }

    /**
     * The engine scenario: defaults filled in, the framework resolved.
     *
     * @throws InvalidScenarioException in the DSL's terms when the engine refuses the combination
     */
    public Scenario scenario() {
        Scenario s = scenario;
        if (s == null) {
            try {
                s = builder.build();
            } catch (InvalidScenarioException e) {
                throw e.in(STYLE);
            }
            scenario = s;
        }
        return s;
    }

    /** The calculation method. */
    public Method method() {
        return method;
    }

    /** The model. */
    public ModelSpec model() {
        return scenario().model();
    }

    /** The weights' storage. */
    public Quant quant() {
        return scenario().quant();
    }

    /** The runtime. */
    public Framework framework() {
        return scenario().framework();
    }

    /** The workload (prompt, generation, batch; fine-tuning method, optimizer, rank). */
    public Workload workload() {
        return scenario().workload();
    }

    /** The device, or null when none is given. */
    public Device device() {
        Scenario s = scenario();
        return s.device() == null ? null : new Device(s.device(), s.deviceCount(), s.ddr());
    }

    /** Tokens per sequence: prompt + generated (a {@code long}: each part may be up to 2^31 - 1). */
    public long context() {
        return scenario().workload().totalTokens();
    }

    /** Whether this is a fine-tuning setup. */
    public boolean isTraining() {
        return scenario().workload().isTraining();
    }

    /** One line: model, storage and runtime, workload, device, method. */
    @Override
    public String toText() {
        Scenario scenario = scenario();
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
        List<String> knobs = knobsText(scenario.options());
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

    /** The runtime options given, one short phrase each. */
    private static List<String> knobsText(Options o) {
        List<String> out = new ArrayList<>();
        if (o.kvCache() != null) {
            out.add("KV cache " + o.kvCache());
        }
        if (o.flashAttention() != null) {
            out.add("flash attention " + (o.flashAttention() ? "on" : "off"));
        }
        if (o.gpuMemoryUtilization() != null) {
            out.add("gpu_memory_utilization " + NumberText.plain(o.gpuMemoryUtilization()));
        }
        if (o.ubatch() != null) {
            out.add("ubatch " + o.ubatch());
        }
        if (o.gpuLayers() != null && o.gpuLayers() >= 0) {
            out.add(o.gpuLayers() + " layers on the GPU");
        }
        if (o.hostBandwidthGBs() != null) {
            out.add("host memory " + NumberText.plain(o.hostBandwidthGBs()) + " GB/s");
        }
        if (o.parallelism() != null) {
            out.add(o.parallelism() + " parallel");
        }
        if (o.loraTargets() != null) {
            out.add("LoRA on " + o.loraTargets());
        }
        if (o.precision() != null) {
            out.add(o.precision() + " precision");
        }
        ServingOptions v = o.serving();
        if (v.interconnect() != null) {
            out.add(v.interconnect() + " links");
        }
        if (v.splitMode() != null) {
            out.add("split mode " + v.splitMode());
        }
        if (v.maxModelLen() != null) {
            out.add("max model length " + v.maxModelLen());
        }
        if (v.maxNumSeqs() != null) {
            out.add("max " + v.maxNumSeqs() + " sequences");
        }
        if (v.maxNumBatchedTokens() != null) {
            out.add(v.maxNumBatchedTokens() + " batched tokens");
        }
        if (v.enforceEager() != null) {
            out.add(v.enforceEager() ? "eager" : "CUDA graphs");
        }
        if (v.maxLoraRank() != null) {
            out.add("LoRA up to rank " + v.maxLoraRank());
        }
        if (v.threads() != null) {
            out.add(v.threads() + " threads");
        }
        if (v.logicalBatch() != null) {
            out.add("logical batch " + v.logicalBatch());
        }
        if (v.runtimeVersion() != null) {
            out.add("release " + v.runtimeVersion());
        }
        if (v.exl2Bits() != null) {
            out.add(NumberText.plain(v.exl2Bits()) + " bits per weight");
        }
        if (v.noMmap() != null) {
            out.add(v.noMmap() ? "no mmap" : "mmap");
        }
        if (v.gptqKernel() != null) {
            out.add("GPTQ " + v.gptqKernel() + " kernel");
        }
        if (v.bnb4bitType() != null) {
            out.add("bitsandbytes " + v.bnb4bitType());
        }
        if (v.bnbDoubleQuant() != null) {
            out.add(v.bnbDoubleQuant() ? "double quantization" : "no double quantization");
        }
        if (v.unquantizedModules() != null) {
            out.add("16-bit " + v.unquantizedModules());
        }
        TrainingOptions t = o.training();
        if (t.compile() != null) {
            out.add("compile " + (t.compile() ? "on" : "off"));
        }
        if (t.chunkedLoss() != null) {
            out.add("chunked loss " + (t.chunkedLoss() ? "on" : "off"));
        }
        if (t.optimizerInBackward() != null) {
            out.add("optimizer in backward " + (t.optimizerInBackward() ? "on" : "off"));
        }
        if (t.activationOffloading() != null) {
            out.add("activation offloading " + (t.activationOffloading() ? "on" : "off"));
        }
        if (t.cpuOffload() != null) {
            out.add("CPU offload " + t.cpuOffload());
        }
        if (t.zero() != null) {
            out.add("ZeRO-" + t.zero());
        }
        return out;
    }

    /** How the weights are stored: {@code nf4} for QLoRA's base, else as {@link #quantLabel}. */
    String storageLabel() {
        Scenario s = scenario();
        Workload w = s.workload();
        return w.isTraining() && w.method() == TrainMethod.QLORA && s.quant() == Quant.NONE ? "nf4"
                : quantLabel(s.quant());
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
