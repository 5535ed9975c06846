package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The optimizer of a fine-tuning run; it decides the state kept per trainable weight. The paged
 * variants (bitsandbytes) keep their states in CUDA unified memory, which the driver pages out to
 * host memory when the GPU runs short: they do not need to fit, and PyTorch's allocator does not
 * count them.
 */
public enum Optimizer {
    /** Adam with two moments. */
    ADAM("adam", 2, false, false),
    /** AdamW with two moments (memory as Adam). */
    ADAMW("adamw", 2, false, false),
    /** bitsandbytes 8-bit Adam(W): two 8-bit moments with block scales. */
    ADAM_8BIT("adam-8bit", 2, true, false),
    /** bitsandbytes paged AdamW: two moments in unified memory. */
    PAGED_ADAMW("paged-adamw", 2, false, true),
    /** bitsandbytes paged 8-bit AdamW (torchtune's full single-device default): two 8-bit moments in unified memory. */
    PAGED_ADAM_8BIT("paged-adam-8bit", 2, true, true),
    /** SGD with momentum: one buffer. */
    SGD_MOMENTUM("sgd-momentum", 1, false, false),
    /** Plain SGD: no state. */
    SGD("sgd", 0, false, false);

    private final String id;
    private final int moments;
    private final boolean eightBit;
    private final boolean paged;

    Optimizer(String id, int moments, boolean eightBit, boolean paged) {
        this.id = id;
        this.moments = moments;
        this.eightBit = eightBit;
        this.paged = paged;
    }

    /** The id used on the command line. */
    public String id() {
        return id;
    }

    /** State tensors kept per trainable weight: 2 for Adam, 1 for SGD with momentum, 0 for SGD. */
    public int moments() {
        return moments;
    }

    /** Whether the states are 8-bit (bitsandbytes' block-wise quantized moments). */
    public boolean eightBit() {
        return eightBit;
    }

    /** Whether the states live in paged (unified) memory that spills to the host. */
    public boolean paged() {
        return paged;
    }

    /**
     * Parses an optimizer id, case-insensitively (also the original's {@code adam_opt} and
     * {@code sgd_opt}, and the Hugging Face Trainer's {@code adamw_torch}, {@code adamw_8bit},
     * {@code paged_adamw_32bit}, {@code paged_adamw_8bit}).
     */
    public static Optimizer parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "adam", "adam-opt" -> { return ADAM; }
            case "adamw", "adamw-torch", "adamw-torch-fused" -> { return ADAMW; }
            case "adam-8bit", "adamw-8bit", "adam8bit", "adamw8bit", "adamw-bnb-8bit" -> { return ADAM_8BIT; }
            case "paged-adamw", "paged-adam", "paged-adamw-32bit", "pagedadamw" -> { return PAGED_ADAMW; }
            case "paged-adam-8bit", "paged-adamw-8bit", "pagedadamw8bit", "paged-adamw8bit" -> { return PAGED_ADAM_8BIT; }
            case "sgd", "sgd-opt" -> { return SGD; }
            case "sgd-momentum", "momentum" -> { return SGD_MOMENTUM; }
            default -> throw new InvalidScenarioException("unknown optimizer '" + text + "'; accepted: "
                    + String.join(", ", ids()) + Names.didYouMean(text, ids()));
        }
    }

    /** All optimizer ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Optimizer::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
