package gpupoor.calc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a fine-tuning run keeps in host memory instead of on the GPUs (DeepSpeed's
 * {@code offload_optimizer} / {@code offload_param}, FSDP's {@code CPUOffload}, torchtune's fused
 * CPU optimizer): the optimizer states (with the fp32 master weights and the gradients they are
 * updated from, stepped on the CPU), the parameters, or both.
 */
public enum CpuOffload {
    /** Everything on the GPUs. */
    NONE("none"),
    /** Optimizer states, master weights and gradient partitions in host memory; the step runs on the CPU. */
    OPTIMIZER("optimizer"),
    /** The parameters in host memory, fetched layer by layer (ZeRO-3 / FSDP); the optimizer stays on the GPUs. */
    PARAMS("params"),
    /** Both: parameters and optimizer in host memory. */
    ALL("all");

    private final String id;

    CpuOffload(String id) {
        this.id = id;
    }

    /** The id used on the command line. */
    public String id() {
        return id;
    }

    /** Whether the optimizer states live in host memory. */
    public boolean optimizer() {
        return this == OPTIMIZER || this == ALL;
    }

    /** Whether the parameters live in host memory. */
    public boolean params() {
        return this == PARAMS || this == ALL;
    }

    /** Parses {@code none}, {@code optimizer}, {@code params} or {@code all} (also {@code parameters}, {@code both}). */
    public static CpuOffload parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "none", "no", "off" -> NONE;
            case "optimizer", "optim", "optimizer-states" -> OPTIMIZER;
            case "params", "param", "parameters" -> PARAMS;
            case "all", "both" -> ALL;
            default -> throw new InvalidScenarioException("unknown " + Input.CPU_OFFLOAD.words() + " '" + text
                    + "'; accepted: " + String.join(", ", ids()) + Names.didYouMean(text, ids()));
        };
    }

    /** All ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(CpuOffload::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
