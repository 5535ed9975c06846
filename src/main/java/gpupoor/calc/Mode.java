package gpupoor.calc;

/** Whether a scenario serves a model or fine-tunes it. */
public enum Mode {
    /** Serving: prompt processing and token generation. */
    INFERENCE,
    /** Fine-tuning: forward and backward passes and an optimizer step. */
    TRAINING;

    /** Parses {@code inference} or {@code training} (also {@code inf}, {@code train}, {@code trn}). */
    public static Mode parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "inference", "inf", "infer", "serve" -> INFERENCE;
            case "training", "train", "trn", "finetune", "fine-tune", "finetuning" -> TRAINING;
            default -> throw new InvalidScenarioException("unknown mode '" + text
                    + "'; accepted: inference, training");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
