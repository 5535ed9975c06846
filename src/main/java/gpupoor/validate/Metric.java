package gpupoor.validate;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Names;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a measurement measured (the {@code metric} column of a measurements file), the unit its
 * {@code value_norm} is in, and what a prediction needs to be compared with it.
 */
public enum Metric {
    /** Peak or total device memory while serving, per device (MiB). */
    MEM_INFERENCE("mem_inference", "MiB", Need.NOTHING),
    /** Peak device memory while fine-tuning, per device (MiB). */
    MEM_TRAINING("mem_training", "MiB", Need.TRAINING),
    /** Weights only, per device (MiB). */
    MEM_WEIGHTS("mem_weights", "MiB", Need.NOTHING),
    /** A serving runtime's start-up budget: the activation peak of its profiling pass, per device (MiB). */
    ACTIVATION_PEAK_MEM("activation_peak_mem", "MiB", Need.DEVICE),
    /** A serving runtime's start-up budget: memory allocated outside PyTorch, per device (MiB). */
    NON_TORCH_MEM("non_torch_mem", "MiB", Need.DEVICE),
    /** A serving runtime's start-up budget: the KV-cache pool, per device (MiB). */
    KV_CACHE_MEM("kv_cache_mem", "MiB", Need.DEVICE),
    /** A serving runtime's start-up budget: the tokens its KV-cache pool holds (tokens). */
    KV_CACHE_TOKENS("kv_cache_tokens", "tokens", Need.DEVICE),
    /** Decode speed of one sequence (tokens/s). */
    DECODE_TOK_S("decode_tok_s", "tok/s", Need.DEVICE),
    /** Generated tokens per second over the whole batch (tokens/s). */
    THROUGHPUT_OUT_TOK_S("throughput_out_tok_s", "tok/s", Need.DEVICE),
    /** Prompt processing (prefill) speed: prompt tokens of the batch over the prefill time (tokens/s). */
    PROMPT_TOK_S("prompt_tok_s", "tok/s", Need.DEVICE),
    /** Time to first token: the prefill time (ms). */
    TTFT_MS("ttft_ms", "ms", Need.DEVICE),
    /** Time of one fine-tuning iteration over one micro-batch (ms). */
    TRAIN_MS_PER_ITER("train_ms_per_iter", "ms", Need.TRAINING_DEVICE),
    /** Fine-tuning throughput: micro-batch tokens over the iteration time (tokens/s). */
    TRAIN_TOK_S("train_tok_s", "tok/s", Need.TRAINING_DEVICE),
    /** Wall-clock time of a whole fine-tune: iterations times the iteration time (ms). */
    TRAIN_RUNTIME_TOTAL("train_runtime_total", "ms", Need.TRAINING_DEVICE),
    /** Whether the run fitted in device memory: 1 = it ran, 0 = out of memory. */
    FITS_IN_MEMORY("fits_in_memory", "bool", Need.DEVICE),
    /** The longest fine-tuning sequence that fits in device memory (tokens). */
    TRAIN_MAX_CONTEXT("train_max_context", "tokens", Need.TRAINING_DEVICE);

    /** What a row of the metric must give beyond a model. */
    enum Need {
        /** Nothing more: a device is used when given. */
        NOTHING,
        /** A fine-tuning method. */
        TRAINING,
        /** A device from the catalog. */
        DEVICE,
        /** A fine-tuning method and a device. */
        TRAINING_DEVICE
    }

    private final String id;
    private final String unit;
    private final Need need;

    Metric(String id, String unit, Need need) {
        this.id = id;
        this.unit = unit;
        this.need = need;
    }

    /** The id used in the {@code metric} column, e.g. {@code decode_tok_s}. */
    public String id() {
        return id;
    }

    /** The canonical unit of {@code value_norm}: {@code MiB}, {@code tok/s}, {@code ms}, {@code bool} or {@code tokens}. */
    public String unit() {
        return unit;
    }

    /** Whether a prediction needs a device from the catalog (memory metrics use one only when given). */
    public boolean needsDevice() {
        return need == Need.DEVICE || need == Need.TRAINING_DEVICE;
    }

    /** Whether the metric is only defined for fine-tuning runs (the row must give {@code train_method}). */
    public boolean needsTraining() {
        return need == Need.TRAINING || need == Need.TRAINING_DEVICE;
    }

    /** Whether the prediction is the memory estimate (memory metrics, fits and the longest fitting context). */
    public boolean usesMemory() {
        return unit.equals("MiB") || this == FITS_IN_MEMORY || this == TRAIN_MAX_CONTEXT || this == KV_CACHE_TOKENS;
    }

    /** Whether the value is a yes/no classification (error statistics do not apply). */
    public boolean isClassification() {
        return this == FITS_IN_MEMORY;
    }

    /**
     * Parses a metric id (case-insensitive).
     *
     * @throws InvalidScenarioException naming the accepted ids and the closest ones
     */
    public static Metric parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.id.equals(t)) {
                return m;
            }
        }
        throw new InvalidScenarioException("unknown metric '" + text + "'; accepted: " + String.join(", ", ids())
                + Names.didYouMean(t, ids()));
    }

    /** Every metric id. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Metric::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
