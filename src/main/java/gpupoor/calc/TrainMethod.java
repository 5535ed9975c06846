package gpupoor.calc;

import java.util.Locale;

/** How a model is fine-tuned. */
public enum TrainMethod {
    /** Every weight is trained. */
    FULL,
    /** Low-rank adapters on a frozen 16-bit (or bitsandbytes) base. */
    LORA,
    /** Low-rank adapters on a frozen 4-bit NF4 base with double quantization. */
    QLORA;

    /** Parses {@code full}, {@code lora} or {@code qlora} (also the original's {@code full_trn}, {@code lora_trn}). */
    public static TrainMethod parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "full", "full_trn", "full-trn" -> FULL;
            case "lora", "lora_trn", "lora-trn" -> LORA;
            case "qlora" -> QLORA;
            default -> throw new InvalidScenarioException("unknown fine-tuning method '" + text
                    + "'; accepted: full, lora, qlora");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
