package gpupoor.calc;

/**
 * Every default a scenario gets for an input that is not given, in one place. The runtime's own
 * defaults (its flash attention, its multi-device mode) are facts of the {@link Framework}; the
 * runtime used when none is given is {@link Framework#defaultFor}.
 */
public final class Defaults {
    private Defaults() {
    }

    /** Inference. */
    public static final Mode MODE = Mode.INFERENCE;
    /** Prompt tokens (in fine-tuning: the sequence length). */
    public static final int PROMPT = 512;
    /** Tokens generated in inference. */
    public static final int GENERATE = 512;
    /** Tokens "generated" in fine-tuning (the original calculator asks for 1). */
    public static final int GENERATE_TRAINING = 1;
    /** Sequences processed together. */
    public static final int BATCH = 1;
    /** Devices used together. */
    public static final int DEVICES = 1;
    /**
     * Weights stored in 16 bits (or as the checkpoint's config says); a model read from its weight
     * files is stored as they are (a GGUF file's type: {@link ModelSpec.Weights#quant}).
     */
    public static final Quant QUANT = Quant.NONE;
    /** Fine-tuning trains every weight unless a method is given. */
    public static final TrainMethod TRAIN_METHOD = TrainMethod.FULL;
    /** Adam. */
    public static final Optimizer OPTIMIZER = Optimizer.ADAM;
    /** LoRA rank (the original always uses 8). */
    public static final int LORA_RANK = 8;
    /** LoRA on the query and value projections. */
    public static final LoraTargets LORA_TARGETS = LoraTargets.QV;
    /** Mixed precision: bf16 compute, fp32 master weights and states. */
    public static final Precision PRECISION = Precision.MIXED;
    /** A 16-bit KV cache. */
    public static final KvCacheType KV_CACHE = KvCacheType.F16;
    /** vLLM's {@code gpu_memory_utilization}. */
    public static final double GPU_MEMORY_UTILIZATION = 0.9;
    /** llama.cpp's physical batch {@code -ub}. */
    public static final int UBATCH = 512;
}
