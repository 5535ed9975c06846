package gpupoor.calc;

import java.util.Locale;

/** How several devices share a model. */
public enum Parallelism {
    /** Tensor parallel: every layer split across devices, an all-reduce per layer. */
    TENSOR,
    /** Layer (pipeline) split: devices hold consecutive layers and run one after another. */
    LAYER,
    /** Data parallel (training): every device holds everything and trains on its own batch. */
    DATA,
    /** Fully sharded data parallel (training, FSDP / ZeRO-3): weights, gradients and optimizer states split. */
    SHARDED;

    /** Parses {@code tensor}, {@code layer}, {@code data} or {@code sharded} (also tp, pp, ddp, fsdp, zero3). */
    public static Parallelism parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "tensor", "tp", "tensor-parallel" -> TENSOR;
            case "layer", "pp", "pipeline", "split", "layer-split" -> LAYER;
            case "data", "ddp", "dp" -> DATA;
            case "sharded", "fsdp", "zero3", "zero-3" -> SHARDED;
            default -> throw new InvalidScenarioException("unknown " + Input.PARALLELISM.words() + " '" + text
                    + "'; accepted: tensor, layer, data, sharded");
        };
    }

    /** Whether it applies to fine-tuning only. */
    public boolean trainingOnly() {
        return this == DATA || this == SHARDED;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
