package gpupoor.calc;

import java.util.Locale;

/**
 * The inputs a scenario is built from. The engine never names a command-line option or a DSL
 * call: its messages and notes refer to an input with {@link #ref(Object)}, and each front end
 * renders the reference in its own terms through a {@link Style} — the command line as the option
 * ({@code --framework llama.cpp}), the DSL as the call ({@code .framework("llama.cpp")}), a CSV row
 * as its column. {@link #WORDS} is the plain-words style used when no front end renders.
 */
public enum Input {
    /** The model: a catalog id, a Hub id, a file. */
    MODEL("model"),
    /** A model size in billions of parameters (when only that is known). */
    SIZE("model size"),
    /** Inference or training. */
    MODE("mode"),
    /** The runtime. */
    FRAMEWORK("framework"),
    /** How the weights are stored. */
    QUANT("quantization"),
    /** Full fine-tuning, LoRA or QLoRA. */
    METHOD("fine-tuning method"),
    /** The optimizer of a fine-tuning run. */
    OPTIMIZER("optimizer"),
    /** Activation recomputation in the backward pass. */
    GRAD_CHECKPOINTING("gradient checkpointing"),
    /** LoRA rank. */
    LORA_RANK("LoRA rank"),
    /** LoRA target modules. */
    LORA_TARGETS("LoRA targets"),
    /** Full fine-tuning precision. */
    PRECISION("training precision"),
    // fine-tuning techniques (TrainingOptions)
    /** torch.compile of the model and loss. */
    COMPILE("torch.compile"),
    /** The loss computed over chunks of the sequence. */
    CHUNKED_LOSS("chunked loss"),
    /** The optimizer step fused into the backward pass. */
    OPTIMIZER_IN_BACKWARD("optimizer in backward"),
    /** Saved activations moved to host memory. */
    ACTIVATION_OFFLOADING("activation offloading"),
    /** Optimizer states and/or parameters kept in host memory. */
    CPU_OFFLOAD("CPU offload"),
    /** The ZeRO stage of sharded data parallelism. */
    ZERO("ZeRO stage"),
    /** Prompt tokens (training: the sequence length). */
    PROMPT("prompt length"),
    /** Tokens to generate. */
    GENERATE("tokens to generate"),
    /** Sequences processed together. */
    BATCH("batch size"),
    /** The device. */
    DEVICE("device"),
    /** A device given by its figures (memory, bandwidth, throughput), or figures replacing a catalog device's. */
    DEVICE_SPEC("device figures"),
    /** Identical devices used together. */
    DEVICES("number of GPUs"),
    /** A CPU's DDR generation. */
    DDR("DDR generation"),
    /** The KV cache's element type. */
    KV_CACHE("KV cache type"),
    /** Flash attention on or off. */
    FLASH_ATTENTION("flash attention"),
    /** vLLM's share of GPU memory. */
    GPU_MEMORY_UTILIZATION("GPU memory utilization"),
    /** llama.cpp's physical batch. */
    UBATCH("ubatch"),
    /** llama.cpp layers offloaded to the GPU. */
    GPU_LAYERS("GPU layers"),
    /** How several devices share the model. */
    PARALLELISM("parallelism"),
    /** Host memory bandwidth for layers left on the CPU. */
    HOST_BANDWIDTH("host bandwidth"),
    // inference runtimes' serving and multi-device knobs (ServingOptions)
    /** The link between GPUs. */
    INTERCONNECT("interconnect"),
    /** llama.cpp's split mode over several GPUs. */
    SPLIT_MODE("split mode"),
    /** vLLM's longest sequence (max_model_len). */
    MAX_MODEL_LEN("maximum model length"),
    /** vLLM's running sequences (max_num_seqs). */
    MAX_NUM_SEQS("maximum running sequences"),
    /** vLLM's tokens per step (max_num_batched_tokens). */
    MAX_NUM_BATCHED_TOKENS("maximum batched tokens"),
    /** vLLM without CUDA graphs (enforce_eager). */
    ENFORCE_EAGER("eager mode"),
    /** vLLM's LoRA adapters (max_lora_rank). */
    MAX_LORA_RANK("maximum LoRA rank"),
    /** llama.cpp's CPU threads. */
    THREADS("CPU threads"),
    /** llama.cpp's logical batch (-b). */
    LOGICAL_BATCH("logical batch"),
    /** The runtime release the scenario describes. */
    RUNTIME_VERSION("runtime version"),
    /** Bits per weight of EXL2 weights (written with the quantization, exl2-4.65). */
    EXL2_BITS("EXL2 bits per weight"),
    /** llama.cpp reading the weights into memory instead of mapping the file. */
    NO_MMAP("no mmap"),
    /** transformers' GPTQ kernel. */
    GPTQ_KERNEL("GPTQ kernel"),
    /** bitsandbytes' 4-bit data type. */
    BNB_4BIT_TYPE("bitsandbytes 4-bit type"),
    /** bitsandbytes double quantization. */
    BNB_DOUBLE_QUANT("bitsandbytes double quantization"),
    /** Modules a quantized checkpoint keeps in 16 bits. */
    UNQUANTIZED_MODULES("unquantized modules"),
    /** The calculation method. */
    CALC("calculation method");

    private static final char START = '\u0001';
    private static final char SEPARATOR = '\u001f';
    private static final char END = '\u0002';

    private final String words;

    Input(String words) {
        this.words = words;
    }

    /** The input in plain words, e.g. {@code KV cache type}. */
    public String words() {
        return words;
    }

    /** A reference to this input set to {@code value}, for a message or a note (rendered by the front end). */
    public String ref(Object value) {
        return String.valueOf(START) + name() + SEPARATOR + value + END;
    }

    /** A reference to this input without a value. */
    public String ref() {
        return String.valueOf(START) + name() + END;
    }

    /** How a front end names an input (with the value it is set to, or null) in its own terms. */
    @FunctionalInterface
    public interface Style {
        /** The text for {@code input} set to {@code value} (null: the input itself). */
        String name(Input input, String value);
    }

    /** Plain words: {@code framework llama.cpp}, {@code the KV cache type}. */
    public static final Style WORDS = (input, value) -> value == null ? "the " + input.words : input.words + " " + value;

    /** {@code text} with every input reference written in {@code style}. */
    public static String render(String text, Style style) {
        if (text == null || text.indexOf(START) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf(START, i);
            int end = start < 0 ? -1 : text.indexOf(END, start);
            if (start < 0 || end < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            String ref = text.substring(start + 1, end);
            int sep = ref.indexOf(SEPARATOR);
            Input input = valueOf(sep < 0 ? ref : ref.substring(0, sep));
            out.append(style.name(input, sep < 0 ? null : ref.substring(sep + 1)));
            i = end + 1;
        }
        return out.toString();
    }

    /** The first input {@code text} refers to, or null. */
    public static Input firstIn(String text) {
        int start = text == null ? -1 : text.indexOf(START);
        if (start < 0) {
            return null;
        }
        int end = text.indexOf(END, start);
        int sep = text.indexOf(SEPARATOR, start);
        int stop = sep >= 0 && sep < end ? sep : end;
        return stop < 0 ? null : valueOf(text.substring(start + 1, stop));
    }

    /** The lower-case id with dashes, e.g. {@code kv-cache}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
