package gpupoor.calc;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The accepted range of every number a scenario is built from, in one place. The builder checks a
 * value when it is set ({@link Scenario.Builder}, {@link Workload}, {@link Options},
 * {@link ModelSpec#ofSize}); the text adapter reports text that is not a number in the same words
 * ({@link #refuse}). The ranges are wide enough for any real model and workload and narrow enough
 * that no sum or product the methods form can overflow or lose its sign; {@code README.md}
 * ("Accepted values") states them.
 */
public final class Limits {
    private Limits() {
    }

    /**
     * The most prompt tokens, and the most tokens to generate: 2,147,483,647 each (2^31 - 1, as the
     * original calculator's vectors go; their sum is a {@code long}, {@link Workload#totalTokens()}).
     */
    public static final int MAX_TOKENS = Integer.MAX_VALUE;
    /** The largest batch: 1,048,576 sequences (also the ceiling of the largest-batch search). */
    public static final int MAX_BATCH = 1 << 20;
    /** The most devices used together: 65,536. */
    public static final int MAX_DEVICES = 1 << 16;
    /** The largest LoRA rank: 65,536. */
    public static final int MAX_LORA_RANK = 1 << 16;
    /** llama.cpp's largest physical batch ({@code -ub}): 65,536. */
    public static final int MAX_UBATCH = 1 << 16;
    /** The most transformer blocks a model may have (config.json, llama.cpp's GPU layers): 100,000. */
    public static final int MAX_LAYERS = 100_000;
    /** The most CPU threads llama.cpp may be given ({@code -t}): 65,536. */
    public static final int MAX_THREADS = 1 << 16;
    /** The highest host memory bandwidth in GB/s: 100,000. */
    public static final double MAX_HOST_BANDWIDTH_GBS = 100_000;
    /**
     * The smallest model known only by its size, in billions of parameters: 0.02 (the synthetic
     * Llama-like shape's 32,000-token embeddings alone hold 16 million).
     */
    public static final double MIN_SIZE_BILLIONS = 0.02;
    /** The largest model known only by its size, in billions of parameters: 100,000. */
    public static final double MAX_SIZE_BILLIONS = 100_000;

    /**
     * An inclusive range of whole numbers.
     *
     * @param min the smallest accepted value
     * @param max the largest accepted value
     */
    public record Range(long min, long max) {
        /** Whether {@code v} lies in the range. */
        public boolean contains(long v) {
            return v >= min && v <= max;
        }

        /** The range in words: {@code an integer from 1 to 1,000,000,000}. */
        public String words() {
            return String.format(Locale.ROOT, "an integer from %,d to %,d", min, max);
        }
    }

    /** The integer inputs' ranges by {@link Input#ordinal()} (an array: every scenario built checks several). */
    private static final Range[] INTEGERS = new Range[Input.values().length];
    /** The real inputs: their largest value (the smallest is above 0) and its unit in words. */
    private static final Map<Input, Double> REAL_MAX = new EnumMap<>(Input.class);
    private static final Map<Input, String> REAL_UNIT = new EnumMap<>(Input.class);

    static {
        INTEGERS[Input.PROMPT.ordinal()] = new Range(1, MAX_TOKENS);
        INTEGERS[Input.GENERATE.ordinal()] = new Range(0, MAX_TOKENS);
        INTEGERS[Input.BATCH.ordinal()] = new Range(1, MAX_BATCH);
        INTEGERS[Input.DEVICES.ordinal()] = new Range(1, MAX_DEVICES);
        INTEGERS[Input.LORA_RANK.ordinal()] = new Range(1, MAX_LORA_RANK);
        INTEGERS[Input.UBATCH.ordinal()] = new Range(1, MAX_UBATCH);
        INTEGERS[Input.GPU_LAYERS.ordinal()] = new Range(-1, MAX_LAYERS);
        INTEGERS[Input.ZERO.ordinal()] = new Range(0, 3);
        INTEGERS[Input.MAX_MODEL_LEN.ordinal()] = new Range(1, MAX_TOKENS);
        INTEGERS[Input.MAX_NUM_SEQS.ordinal()] = new Range(1, MAX_BATCH);
        INTEGERS[Input.MAX_NUM_BATCHED_TOKENS.ordinal()] = new Range(1, MAX_TOKENS);
        INTEGERS[Input.MAX_LORA_RANK.ordinal()] = new Range(1, MAX_LORA_RANK);
        INTEGERS[Input.THREADS.ordinal()] = new Range(1, MAX_THREADS);
        INTEGERS[Input.LOGICAL_BATCH.ordinal()] = new Range(1, MAX_TOKENS);
        REAL_MAX.put(Input.GPU_MEMORY_UTILIZATION, 1.0);
        REAL_UNIT.put(Input.GPU_MEMORY_UTILIZATION, " (a share of the GPU's memory, e.g. 0.9)");
        REAL_MAX.put(Input.HOST_BANDWIDTH, MAX_HOST_BANDWIDTH_GBS);
        REAL_UNIT.put(Input.HOST_BANDWIDTH, " GB/s");
    }

    /**
     * The range of an integer input (prompt, tokens to generate, batch, devices, LoRA rank, ubatch,
     * GPU layers, ZeRO stage, the serving runtimes' lengths, sequences, LoRA rank, threads and logical
     * batch), or null for an input that is not a whole number.
     */
    public static Range of(Input input) {
        return INTEGERS[input.ordinal()];
    }

    /**
     * Checks an integer input.
     *
     * @return {@code value}
     * @throws InvalidScenarioException naming the input, the value and the range
     */
    public static int check(Input input, long value) {
        Range r = INTEGERS[input.ordinal()];
        if (r == null) {
            throw new IllegalArgumentException(input + " is not an integer input");
        }
        if (!r.contains(value)) {
            throw refuse(input, Long.toString(value));
        }
        return (int) value;
    }

    /**
     * Checks a real input (GPU memory utilization, host bandwidth): above 0 and at most its maximum.
     *
     * @return {@code value}
     * @throws InvalidScenarioException naming the input, the value and the range
     */
    public static double check(Input input, double value) {
        Double max = REAL_MAX.get(input);
        if (max == null) {
            throw new IllegalArgumentException(input + " is not a real input");
        }
        if (!(value > 0 && value <= max)) {
            throw refuse(input, NumberText.plainOrText(value));
        }
        return value;
    }

    /**
     * The error for a numeric input given as {@code text} that is not a number in its range:
     * {@code prompt length must be an integer from 1 to 1,000,000,000}.
     */
    public static InvalidScenarioException refuse(Input input, String text) {
        String accepted;
        if (input == Input.GPU_LAYERS) {
            accepted = String.format(Locale.ROOT, "all (or -1), 0 or a count up to %,d", MAX_LAYERS);
        } else if (INTEGERS[input.ordinal()] != null) {
            accepted = INTEGERS[input.ordinal()].words();
        } else if (REAL_MAX.containsKey(input)) {
            accepted = "a number above 0 and at most " + NumberText.grouped(REAL_MAX.get(input).longValue())
                    + REAL_UNIT.get(input);
        } else if (input == Input.SIZE) {
            return refuseSize(text);
        } else {
            throw new IllegalArgumentException(input + " is not a numeric input");
        }
        return new InvalidScenarioException(input.ref(text) + ": " + input.words() + " must be " + accepted);
    }

    /**
     * Checks a model size in billions of parameters.
     *
     * @throws InvalidScenarioException unless it is a number from {@link #MIN_SIZE_BILLIONS} to
     *                                  {@link #MAX_SIZE_BILLIONS}
     */
    public static double checkSize(double billions) {
        if (!sizeInRange(billions)) {
            throw refuseSize(NumberText.plainOrText(billions));
        }
        return billions;
    }

    /** Whether a model size in billions lies in [{@link #MIN_SIZE_BILLIONS}, {@link #MAX_SIZE_BILLIONS}]. */
    public static boolean sizeInRange(double billions) {
        return billions >= MIN_SIZE_BILLIONS && billions <= MAX_SIZE_BILLIONS;
    }

    private static InvalidScenarioException refuseSize(String text) {
        return new InvalidScenarioException(Input.SIZE.ref(text)
                + ": a model size is a number of billions of parameters from " + NumberText.plain(MIN_SIZE_BILLIONS)
                + " to " + NumberText.grouped((long) MAX_SIZE_BILLIONS) + ", e.g. 7, 13B or 0.5");
    }
}
