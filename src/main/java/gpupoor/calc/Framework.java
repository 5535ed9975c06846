package gpupoor.calc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A runtime a scenario runs on, with the facts about it that hold whatever the calculation method:
 * its names, whether it fine-tunes, which runtime knobs ({@link Options}) and KV-cache types it
 * takes, and its defaults (flash attention, how several devices share a model). A scenario that
 * gives a knob its runtime does not take, or a cache type it cannot hold, is refused when it is
 * made ({@link #check}). How a runtime places memory and runs is the default method's strategy for
 * it (package {@code gpupoor.calc.accurate}).
 */
public final class Framework {
    private static final List<Framework> ALL = new ArrayList<>();

    private static final Set<KvCacheType> LLAMA_CPP_CACHES = EnumSet.of(KvCacheType.F16, KvCacheType.BF16, KvCacheType.F32,
            KvCacheType.Q8_0, KvCacheType.Q4_0, KvCacheType.Q4_1, KvCacheType.Q5_0, KvCacheType.Q5_1);

    /** Hugging Face transformers (PyTorch eager or SDPA), with PEFT and TRL for fine-tuning. */
    public static final Framework HF = new Framework("hf", "Hugging Face transformers", "transformers 4.5x", true, true,
            true, Parallelism.LAYER,
            union(EnumSet.of(Input.FLASH_ATTENTION, Input.PARALLELISM, Input.LORA_TARGETS, Input.PRECISION,
                    Input.INTERCONNECT, Input.RUNTIME_VERSION, Input.GPTQ_KERNEL, Input.BNB_4BIT_TYPE,
                    Input.BNB_DOUBLE_QUANT, Input.UNQUANTIZED_MODULES), TrainingOptions.INPUTS),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16), List.of("huggingface", "transformers", "peft", "trl"),
            (m, n) -> new TrainingDefaults(Precision.MIXED, Optimizer.ADAM, false, false, false, false, 8,
                    LoraTargets.QV, Parallelism.DATA));

    /** vLLM, which pre-allocates a fraction of GPU memory and fills it with KV blocks. */
    public static final Framework VLLM = new Framework("vllm", "vLLM", "vLLM 0.11 (V1 engine)", false, true, true,
            Parallelism.TENSOR,
            EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION, Input.GPU_MEMORY_UTILIZATION, Input.PARALLELISM,
                    Input.INTERCONNECT, Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS, Input.MAX_NUM_BATCHED_TOKENS,
                    Input.ENFORCE_EAGER, Input.MAX_LORA_RANK, Input.RUNTIME_VERSION, Input.BNB_4BIT_TYPE,
                    Input.BNB_DOUBLE_QUANT, Input.UNQUANTIZED_MODULES),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16, KvCacheType.FP8), List.of(), null);

    /** llama.cpp (GGUF files), on GPU, CPU or Apple Silicon. */
    public static final Framework LLAMA_CPP = new Framework("llama.cpp", "llama.cpp", "llama.cpp b7000 (2026)", false, true, true,
            Parallelism.LAYER,
            EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION, Input.UBATCH, Input.GPU_LAYERS, Input.PARALLELISM,
                    Input.HOST_BANDWIDTH, Input.INTERCONNECT, Input.SPLIT_MODE, Input.MAX_MODEL_LEN, Input.THREADS,
                    Input.LOGICAL_BATCH, Input.RUNTIME_VERSION, Input.NO_MMAP),
            LLAMA_CPP_CACHES, List.of("llamacpp", "llama-cpp", "llama_cpp", "gguf", "ggml"), null);

    /** ExLlama (v1, 2023): GPTQ checkpoints on NVIDIA GPUs, without flash attention. */
    public static final Framework EXLLAMA = new Framework("exllama", "ExLlama", "exllama v1 (2023)", false, true, false,
            Parallelism.LAYER,
            EnumSet.of(Input.PARALLELISM, Input.INTERCONNECT, Input.MAX_MODEL_LEN, Input.RUNTIME_VERSION),
            EnumSet.of(KvCacheType.F16), List.of("exllamav1", "exllama-v1"), null);

    /** ExLlamaV2 (EXL2 and GPTQ checkpoints on NVIDIA and AMD GPUs, flash attention where installed). */
    public static final Framework EXLLAMAV2 = new Framework("exllamav2", "ExLlamaV2", "exllamav2 0.3", false, true, true,
            Parallelism.LAYER,
            EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION, Input.PARALLELISM, Input.INTERCONNECT, Input.MAX_MODEL_LEN,
                    Input.RUNTIME_VERSION, Input.EXL2_BITS),
            EnumSet.of(KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0), List.of("exl2", "tabbyapi", "exllama-v2"), null);

    /** MLC-LLM (TVM-compiled kernels; its own group-quantized weights). */
    public static final Framework MLC = new Framework("mlc", "MLC-LLM", "MLC-LLM 0.20", false, true, true, Parallelism.TENSOR,
            EnumSet.of(Input.GPU_MEMORY_UTILIZATION, Input.PARALLELISM, Input.INTERCONNECT, Input.MAX_MODEL_LEN,
                    Input.MAX_NUM_SEQS, Input.MAX_NUM_BATCHED_TOKENS, Input.RUNTIME_VERSION),
            EnumSet.of(KvCacheType.F16), List.of("mlc-llm", "mlc_llm", "mlcllm"), null);

    /** NVIDIA TensorRT-LLM (compiled engines, paged KV cache sized from the memory left after the weights). */
    public static final Framework TENSORRT_LLM = new Framework("tensorrt-llm", "TensorRT-LLM", "TensorRT-LLM 1.0", false,
            true, true, Parallelism.TENSOR,
            EnumSet.of(Input.KV_CACHE, Input.GPU_MEMORY_UTILIZATION, Input.PARALLELISM, Input.INTERCONNECT,
                    Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS, Input.MAX_NUM_BATCHED_TOKENS, Input.RUNTIME_VERSION),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16, KvCacheType.FP8), List.of("trt-llm", "trtllm", "tensorrt", "triton-trtllm"), null);

    /** SGLang (RadixAttention; a static share of GPU memory for weights and a token-level KV pool). */
    public static final Framework SGLANG = new Framework("sglang", "SGLang", "SGLang 0.5", false, true, true, Parallelism.TENSOR,
            EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION, Input.GPU_MEMORY_UTILIZATION, Input.PARALLELISM,
                    Input.INTERCONNECT, Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS, Input.MAX_NUM_BATCHED_TOKENS,
                    Input.ENFORCE_EAGER, Input.RUNTIME_VERSION),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16, KvCacheType.FP8), List.of("sgl"), null);

    /** MLX (mlx-lm on Apple Silicon: unified memory, Metal kernels, its own group-quantized weights). */
    public static final Framework MLX = new Framework("mlx", "MLX", "mlx-lm 0.28", false, true, true, Parallelism.LAYER,
            EnumSet.of(Input.KV_CACHE, Input.MAX_MODEL_LEN, Input.RUNTIME_VERSION),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16, KvCacheType.Q8_0, KvCacheType.Q4_0), List.of("mlx-lm", "mlx_lm"), null);

    /** Ollama: llama.cpp with Ollama's defaults (a 4,096-token context allocated up front, flash attention off). */
    public static final Framework OLLAMA = new Framework("ollama", "Ollama", "Ollama 0.12", false, true, false, Parallelism.LAYER,
            EnumSet.of(Input.KV_CACHE, Input.FLASH_ATTENTION, Input.GPU_LAYERS, Input.PARALLELISM, Input.HOST_BANDWIDTH,
                    Input.INTERCONNECT, Input.MAX_MODEL_LEN, Input.MAX_NUM_SEQS, Input.THREADS, Input.LOGICAL_BATCH,
                    Input.RUNTIME_VERSION, Input.NO_MMAP),
            LLAMA_CPP_CACHES, List.of(), null);

    // ------------------------------------------------------------------ training runtimes
    // Each one's defaults are those of its shipped recipes (see TrainingDefaults and calibration.md).

    /**
     * Unsloth: transformers + PEFT + TRL patched with Triton kernels (fused RMSNorm, RoPE, SwiGLU,
     * LoRA and cross-entropy), its gradient checkpointing that offloads each layer's input to host
     * memory, one GPU. Defaults of its notebooks: LoRA rank 16 on every linear module, 8-bit AdamW.
     */
    public static final Framework UNSLOTH = new Framework("unsloth", "Unsloth", "Unsloth's notebooks", true, false, true, Parallelism.DATA,
            union(EnumSet.of(Input.LORA_TARGETS, Input.PRECISION, Input.BNB_4BIT_TYPE, Input.BNB_DOUBLE_QUANT),
                    EnumSet.of(Input.CHUNKED_LOSS, Input.ACTIVATION_OFFLOADING)),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16), List.of(),
            (m, n) -> new TrainingDefaults(Precision.MIXED, Optimizer.ADAM_8BIT, true, false, true, false, 16,
                    LoraTargets.ALL, Parallelism.DATA));

    /**
     * torchtune: PyTorch-native recipes, everything in bf16 (weights, gradients and optimizer
     * states), activation checkpointing and a chunked cross-entropy in its shipped configs; LoRA of
     * rank 8 on q, v, the attention output and the MLP; full fine-tuning on one GPU with paged 8-bit
     * AdamW stepped in the backward pass (its {@code *_full_single_device} configs), else AdamW; on
     * several GPUs FSDP.
     */
    public static final Framework TORCHTUNE = new Framework("torchtune", "torchtune", "torchtune's shipped configs", true, false, true,
            Parallelism.DATA, union(EnumSet.of(Input.PARALLELISM, Input.LORA_TARGETS, Input.PRECISION),
                    TrainingOptions.INPUTS),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16), List.of("tune"),
            (m, n) -> {
                boolean fullOnOne = m == TrainMethod.FULL && n == 1;
                return new TrainingDefaults(Precision.BF16, fullOnOne ? Optimizer.PAGED_ADAM_8BIT : Optimizer.ADAMW,
                        true, false, true, fullOnOne, 8, LoraTargets.parse("q,v,o,gate,up,down"), Parallelism.SHARDED);
            });

    /**
     * LitGPT: Lightning Fabric with {@code bf16-true} precision (weights, adapters and optimizer
     * states in bf16), a chunked LM head and cross-entropy, LoRA of rank 8 on q and v; on several
     * GPUs FSDP (full sharding) with activation checkpointing of every block.
     */
    public static final Framework LITGPT = new Framework("litgpt", "LitGPT", "LitGPT's CLI defaults", true, false, true, Parallelism.DATA,
            union(EnumSet.of(Input.PARALLELISM, Input.LORA_TARGETS, Input.PRECISION, Input.BNB_4BIT_TYPE,
                    Input.BNB_DOUBLE_QUANT), TrainingOptions.INPUTS),
            EnumSet.of(KvCacheType.F16, KvCacheType.BF16), List.of("lit-gpt", "lit_gpt"),
            (m, n) -> new TrainingDefaults(Precision.BF16, Optimizer.ADAMW, n > 1, false, true, false, 8,
                    LoraTargets.QV, Parallelism.SHARDED));

    /**
     * What a training runtime does when the scenario does not say; each field is what its shipped
     * recipes (configs, notebooks, CLI defaults) set.
     *
     * @param precision             full fine-tuning precision (and the adapters' dtype)
     * @param optimizer             the optimizer
     * @param gradientCheckpointing activation checkpointing of every block
     * @param compile               torch.compile
     * @param chunkedLoss           a chunked (or fused) cross-entropy
     * @param optimizerInBackward   the optimizer step fused into the backward pass
     * @param loraRank              LoRA rank
     * @param loraTargets           LoRA target modules
     * @param parallelism           how several GPUs share a run: data parallel (DDP), or sharded (FSDP)
     */
    public record TrainingDefaults(Precision precision, Optimizer optimizer, boolean gradientCheckpointing,
                                   boolean compile, boolean chunkedLoss, boolean optimizerInBackward, int loraRank,
                                   LoraTargets loraTargets, Parallelism parallelism) {
    }

    /** A runtime's training defaults for a fine-tuning method on a number of GPUs. */
    @FunctionalInterface
    interface TrainingDefaultsRule {
        TrainingDefaults of(TrainMethod method, int devices);
    }

    private static Set<Input> union(Set<Input> a, Set<Input> b) {
        Set<Input> out = EnumSet.copyOf(a);
        out.addAll(b);
        return out;
    }

    private final String id;
    private final String label;
    private final String release;
    private final boolean trains;
    private final boolean serves;
    private final boolean flashAttentionDefault;
    private final Parallelism inferenceParallelism;
    private final Set<Input> knobs;
    private final Set<KvCacheType> kvCacheTypes;
    private final List<String> aliases;
    private final TrainingDefaultsRule trainingDefaults;
    private final int index;

    private Framework(String id, String label, String release, boolean trains, boolean serves, boolean flashAttentionDefault,
                      Parallelism inferenceParallelism, Set<Input> knobs, Set<KvCacheType> kvCacheTypes,
                      List<String> aliases, TrainingDefaultsRule trainingDefaults) {
        this.id = id;
        this.label = label;
        this.release = release;
        this.trains = trains;
        this.serves = serves;
        this.trainingDefaults = trainingDefaults;
        this.flashAttentionDefault = flashAttentionDefault;
        this.inferenceParallelism = inferenceParallelism;
        this.knobs = Collections.unmodifiableSet(EnumSet.copyOf(knobs));
        this.kvCacheTypes = Collections.unmodifiableSet(EnumSet.copyOf(kvCacheTypes));
        this.aliases = List.copyOf(aliases);
        this.index = ALL.size();
        ALL.add(this);
    }

    /** The id used on the command line and in CSV files ({@code hf}, {@code vllm}, {@code llama.cpp}). */
    public String id() {
        return id;
    }

    /** A human-readable name. */
    public String label() {
        return label;
    }

    /** The release whose defaults the default method follows, e.g. {@code vLLM 0.11 (V1 engine)}. */
    public String release() {
        return release;
    }

    /** Whether it fine-tunes models. */
    public boolean trains() {
        return trains;
    }

    /** Whether the default method models it serving models (inference); the training runtimes but Hugging Face do not. */
    public boolean serves() {
        return serves;
    }

    /**
     * What this runtime does in fine-tuning when the scenario does not say, for a method on a
     * number of GPUs.
     *
     * @throws IllegalStateException for a runtime that does not fine-tune
     */
    public TrainingDefaults trainingDefaults(TrainMethod method, int devices) {
        if (trainingDefaults == null) {
            throw new IllegalStateException(label + " does not fine-tune");
        }
        return trainingDefaults.of(method == null ? Defaults.TRAIN_METHOD : method, devices);
    }

    /**
     * Whether flash attention is on in the current release when the scenario does not say (Hugging
     * Face: SDPA, which keeps no attention matrix; llama.cpp: {@code auto}, which turns it on for CUDA,
     * Metal and CPUs since PR 15434 of August 2025). A runtime strategy may decide otherwise for an
     * older {@link RuntimeVersion}.
     */
    public boolean flashAttentionByDefault() {
        return flashAttentionDefault;
    }

    /** The runtime knobs ({@link Input}s of {@link Options}) it takes. */
    public Set<Input> knobs() {
        return knobs;
    }

    /** The KV-cache element types it can hold. */
    public Set<KvCacheType> kvCacheTypes() {
        return kvCacheTypes;
    }

    /** A dense index from 0 in registration order (for tables indexed by runtime). */
    public int index() {
        return index;
    }

    /**
     * How several devices share the model unless the scenario says: in training the runtime's
     * (data parallel for Hugging Face, FSDP for torchtune and LitGPT), else its inference mode.
     */
    public Parallelism defaultParallelism(Mode mode) {
        if (mode != Mode.TRAINING) {
            return inferenceParallelism;
        }
        return trainingDefaults == null ? Parallelism.DATA : trainingDefaults.of(TrainMethod.FULL, 2).parallelism();
    }

    /**
     * Checks what holds for this runtime whatever the method: it fine-tunes if the scenario does,
     * it takes every knob the scenario gives, and it can hold the cache type given.
     *
     * @throws InvalidScenarioException naming the input and what the runtime accepts
     */
    public void check(Workload workload, Options o) {
        Passed last = passed;
        if (last != null && last.options() == o && last.training() == workload.isTraining()) {
            return;  // a sweep builds many scenarios with the same knobs: they passed already
        }
        if (workload.isTraining() && !trains) {
            throw new InvalidScenarioException("fine-tuning is modelled with " + trainers() + ": use "
                    + Input.FRAMEWORK.ref(trainers()) + " (got " + id + ")");
        }
        if (!workload.isTraining() && !serves) {
            throw new InvalidScenarioException(label + " is modelled for fine-tuning only: give "
                    + Input.MODE.ref("training") + ", or for inference use " + Input.FRAMEWORK.ref(servers()));
        }
        for (Input knob : o.given()) {
            if (!workload.isTraining() && TRAINING_ONLY.contains(knob)) {
                throw new InvalidScenarioException(knob.ref(o.text(knob)) + " applies to fine-tuning: give "
                        + Input.MODE.ref("training") + " too, or drop it for inference");
            }
            if (!knobs.contains(knob)) {
                throw new InvalidScenarioException(knob.ref(o.text(knob)) + " does not apply to " + label + " ("
                        + knob.words() + " is a knob of " + takers(knob) + "); " + label + " takes " + knobWords());
            }
        }
        if (o.kvCache() != null && !kvCacheTypes.contains(o.kvCache())) {
            String kv = o.kvCache().id();
            // "an fp8", "a q8_0": the article of the id as it is read out, letter by letter
            String article = "aefhilmnorsx".indexOf(Character.toLowerCase(kv.charAt(0))) >= 0 ? "an " : "a ";
            throw new InvalidScenarioException(label + " cannot hold " + article + kv + " KV cache: "
                    + Input.KV_CACHE.ref(o.kvCache().id()) + " is not accepted with " + Input.FRAMEWORK.ref(id)
                    + "; accepted: " + String.join(", ", kvCacheTypes.stream().map(KvCacheType::id).toList()));
        }
        Parallelism p = o.parallelism();
        if (p != null && p.trainingOnly() && !workload.isTraining()) {
            throw new InvalidScenarioException(Input.PARALLELISM.ref(p) + " applies to fine-tuning; in inference use "
                    + "tensor or layer");
        }
        passed = new Passed(o, workload.isTraining());
    }

    /** The knobs (compared by identity) and kind of workload this runtime's last check passed. */
    private record Passed(Options options, boolean training) {
    }

    /** The last check that passed ({@link #check}); a race at worst checks again. */
    private volatile Passed passed;

    private String knobWords() {
        List<String> k = knobs.stream().map(Input::words).toList();
        return k.isEmpty() ? "no runtime knobs" : String.join(", ", k);
    }

    private static String takers(Input knob) {
        return String.join(", ", ALL.stream().filter(f -> f.knobs.contains(knob)).map(Framework::id).toList());
    }

    private static String trainers() {
        return String.join(" or ", ALL.stream().filter(Framework::trains).map(Framework::id).toList());
    }

    private static String servers() {
        return String.join(" or ", ALL.stream().filter(Framework::serves).map(Framework::id).toList());
    }

    /** Knobs that only mean something in fine-tuning. */
    private static final Set<Input> TRAINING_ONLY = union(EnumSet.of(Input.LORA_TARGETS, Input.PRECISION),
            TrainingOptions.INPUTS);

    /**
     * Parses a framework id or alias, case-insensitively ({@code llamacpp}, {@code gguf},
     * {@code transformers}, …).
     *
     * @throws InvalidScenarioException naming the accepted ids
     */
    public static Framework parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Framework f : ALL) {
            if (f.id.equals(t) || f.aliases.contains(t)) {
                return f;
            }
        }
        throw new InvalidScenarioException("unknown " + Input.FRAMEWORK.words() + " '" + text + "'; accepted: "
                + String.join(", ", ids()) + Names.didYouMean(text, ids()));
    }

    /**
     * The runtime a scenario gets when none is given: Hugging Face transformers for all fine-tuning;
     * in inference llama.cpp for a GGUF quantization and on a CPU or an Apple chip (where it is the
     * usual runtime), the format's own runtime for EXL2, MLC and MLX weights, Hugging Face
     * transformers otherwise.
     *
     * @param quant  the weights' storage (null: unquantized)
     * @param device the device, or null for none
     * @param mode   inference or training (null: inference)
     */
    public static Framework defaultFor(Quant quant, Hardware device, Mode mode) {
        if (mode == Mode.TRAINING) {
            return HF;
        }
        if (quant != null) {
            switch (quant.family()) {
                case EXL2 -> {
                    return EXLLAMAV2;
                }
                case MLC -> {
                    return MLC;
                }
                case MLX -> {
                    return MLX;
                }
                default -> { }
            }
        }
        boolean offGpu = device != null && !device.isGpu() && mode != Mode.TRAINING;
        return quant != null && quant.isGguf() || offGpu ? LLAMA_CPP : HF;
    }

    /** Every runtime, in registration order. */
    public static List<Framework> all() {
        return List.copyOf(ALL);
    }

    /** All framework ids. */
    public static List<String> ids() {
        return ALL.stream().map(Framework::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
