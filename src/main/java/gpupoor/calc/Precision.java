package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The number formats of full fine-tuning. */
public enum Precision {
    /** bf16 compute with fp32 master weights, gradients and optimizer states (the usual default). */
    MIXED,
    /** Everything in bf16: weights, gradients and optimizer states (torchtune's default). */
    BF16,
    /** Everything in fp32. */
    FP32;

    /** The id used on the command line: {@code mixed}, {@code bf16} or {@code fp32}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code mixed}, {@code bf16} or {@code fp32}, case-insensitively. */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.id().equals(t)) {
                return p;
            }
        }
        throw new InvalidScenarioException("unknown " + Input.PRECISION.words() + " '" + text + "'; accepted: "
                + String.join(", ", ids()));
    }

    /** All ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Precision::id).toList();
    }

    @Override
    public String toString() {
        return id();
    }
}
