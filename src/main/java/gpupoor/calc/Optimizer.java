package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The optimizer of a fine-tuning run; it decides the bytes of state kept per trainable weight. */
public enum Optimizer {
    /** Adam with two fp32 moments. */
    ADAM("adam"),
    /** AdamW with two fp32 moments (memory as Adam). */
    ADAMW("adamw"),
    /** bitsandbytes 8-bit Adam(W): two 8-bit moments with block scales. */
    ADAM_8BIT("adam-8bit"),
    /** SGD with momentum: one fp32 buffer. */
    SGD_MOMENTUM("sgd-momentum"),
    /** Plain SGD: no state. */
    SGD("sgd");

    private final String id;

    Optimizer(String id) {
        this.id = id;
    }

    /** The id used on the command line. */
    public String id() {
        return id;
    }

    /** Parses an optimizer id, case-insensitively (also the original's {@code adam_opt}, {@code sgd_opt}). */
    public static Optimizer parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "adam", "adam-opt" -> { return ADAM; }
            case "adamw" -> { return ADAMW; }
            case "adam-8bit", "adamw-8bit", "adam8bit", "adamw8bit", "paged-adamw-8bit" -> { return ADAM_8BIT; }
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
