package gpupoor.calc;

import java.util.Locale;

/**
 * How llama.cpp spreads a model over several GPUs ({@code --split-mode}): whole layers per GPU, run
 * one after another ({@code layer}, the default since January 2024); every weight matrix split by
 * rows, each matrix product gathered on the main GPU ({@code row}, the only mode before that); or
 * true tensor parallelism with an all-reduce per layer ({@code tensor}, 2026).
 */
public enum SplitMode {
    /** Consecutive layers per GPU (pipeline). */
    LAYER,
    /** Each matrix split by rows; results gathered on the main GPU after every matrix product. */
    ROW,
    /** Tensor parallel: heads and MLP columns split, an all-reduce after attention and after the MLP. */
    TENSOR;

    /**
     * Parses {@code layer}, {@code row} or {@code tensor}, case-insensitively.
     *
     * @throws InvalidScenarioException naming the accepted values
     */
    public static SplitMode parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (SplitMode m : values()) {
            if (m.toString().equals(t)) {
                return m;
            }
        }
        throw new InvalidScenarioException("unknown " + Input.SPLIT_MODE.words() + " '" + text
                + "'; accepted: layer, row, tensor");
    }

    /** How the model's layers are shared: row and tensor splits cut every layer, the layer split does not. */
    public Parallelism parallelism() {
        return this == LAYER ? Parallelism.LAYER : Parallelism.TENSOR;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
