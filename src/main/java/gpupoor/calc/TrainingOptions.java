package gpupoor.calc;

import java.util.EnumSet;
import java.util.Set;

/**
 * The fine-tuning techniques a run may switch on, beyond the workload's optimizer, gradient
 * checkpointing and LoRA shape. A null value means "not given": the training runtime's documented
 * default applies ({@link Framework#trainingDefaults}). The gpu-poor method ignores them.
 *
 * @param compile             {@code torch.compile} of the model and loss (fused kernels, fewer saved activations, faster)
 * @param chunkedLoss         the loss over chunks of the sequence, never holding every token's fp32 logits at once
 * @param optimizerInBackward each weight stepped (and its gradient freed) as soon as its gradient is ready
 * @param activationOffloading activations saved for the backward pass moved to host memory
 * @param cpuOffload          optimizer states and/or parameters kept in host memory
 * @param zero                ZeRO stage of sharded data parallelism: 0 (plain DDP) to 3 (parameters sharded too)
 */
public record TrainingOptions(Boolean compile, Boolean chunkedLoss, Boolean optimizerInBackward,
                              Boolean activationOffloading, CpuOffload cpuOffload, Integer zero) {

    /** Nothing given. */
    public static final TrainingOptions NONE = new TrainingOptions(null, null, null, null, null, null);

    /** The inputs these options set. */
    static final Set<Input> INPUTS = EnumSet.of(Input.COMPILE, Input.CHUNKED_LOSS, Input.OPTIMIZER_IN_BACKWARD,
            Input.ACTIVATION_OFFLOADING, Input.CPU_OFFLOAD, Input.ZERO);

    /** Checks the ZeRO stage: 0 to 3 ({@link Limits}). */
    public TrainingOptions {
        if (zero != null) {
            Limits.check(Input.ZERO, zero.longValue());
        }
    }

    /** The value of one of {@link #INPUTS}, or null when not given. */
    Object value(Input input) {
        return switch (input) {
            case COMPILE -> compile;
            case CHUNKED_LOSS -> chunkedLoss;
            case OPTIMIZER_IN_BACKWARD -> optimizerInBackward;
            case ACTIVATION_OFFLOADING -> activationOffloading;
            case CPU_OFFLOAD -> cpuOffload;
            case ZERO -> zero;
            default -> null;
        };
    }

    /** A copy with {@code torch.compile} on, off or (null) the runtime's default. */
    public TrainingOptions withCompile(Boolean on) {
        return new TrainingOptions(on, chunkedLoss, optimizerInBackward, activationOffloading, cpuOffload, zero);
    }

    /** A copy with the chunked loss on, off or (null) the runtime's default. */
    public TrainingOptions withChunkedLoss(Boolean on) {
        return new TrainingOptions(compile, on, optimizerInBackward, activationOffloading, cpuOffload, zero);
    }

    /** A copy with the optimizer step in the backward pass on, off or (null) the runtime's default. */
    public TrainingOptions withOptimizerInBackward(Boolean on) {
        return new TrainingOptions(compile, chunkedLoss, on, activationOffloading, cpuOffload, zero);
    }

    /** A copy with activation offloading on, off or (null) the runtime's default. */
    public TrainingOptions withActivationOffloading(Boolean on) {
        return new TrainingOptions(compile, chunkedLoss, optimizerInBackward, on, cpuOffload, zero);
    }

    /** A copy with another CPU offload (null: the runtime's default, none). */
    public TrainingOptions withCpuOffload(CpuOffload offload) {
        return new TrainingOptions(compile, chunkedLoss, optimizerInBackward, activationOffloading, offload, zero);
    }

    /** A copy with another ZeRO stage (null: from the parallelism, 3 when sharded, else 0). */
    public TrainingOptions withZero(Integer stage) {
        return new TrainingOptions(compile, chunkedLoss, optimizerInBackward, activationOffloading, cpuOffload, stage);
    }
}
