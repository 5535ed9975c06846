package gpupoor.calc.accurate;

import gpupoor.calc.LoraTargets;
import gpupoor.calc.Precision;
import gpupoor.calc.TrainMethod;
import gpupoor.calc.Optimizer;
import gpupoor.calc.NumberText;

import java.util.List;

/**
 * Weights, gradients and optimizer states of a fine-tuning run.
 * <ul>
 *   <li>Full fine-tuning, {@code mixed} precision: bf16 weights and gradients, fp32 master weights
 *       and fp32 optimizer states (2 + 2 + 4 + 8 = 16 bytes per parameter with Adam);
 *       {@code bf16}: weights, gradients and states in bf16 (2 + 2 + 4); {@code fp32}: 4 + 4 + 8.</li>
 *   <li>LoRA: the frozen base as stored (16-bit, LLM.int8, or NF4 with double quantization for
 *       QLoRA) and rank-r adapters A (r × in) and B (out × r) on the target modules of every
 *       block, trained in fp32 (PEFT's default) or bf16.</li>
 *   <li>Optimizers: Adam/AdamW two states, 8-bit Adam two 1-byte states, SGD with momentum one
 *       state, plain SGD none.</li>
 * </ul>
 *
 * @param trainableParams parameters that receive gradients
 * @param gradientBytes   gradient buffers
 * @param optimizerBytes  optimizer states plus fp32 master weights (mixed precision)
 * @param adapterBytes    the LoRA adapter weights themselves (0 for full fine-tuning)
 * @param computeBytes    bytes per activation element (2 for bf16, 4 for fp32)
 * @param paramBytes      bytes per trainable parameter of weights and of gradients
 * @param stateBytes      bytes per trainable parameter of optimizer state
 * @param masterBytes     bytes per trainable parameter of fp32 master weights (0 unless full mixed precision)
 * @param precision       the training precision ({@code mixed}, {@code bf16} or {@code fp32})
 * @param targets         the LoRA target modules
 * @param rank            the LoRA rank
 * @param full            whether it is full fine-tuning (else LoRA)
 */
record TrainingMemory(double trainableParams, double gradientBytes, double optimizerBytes, double adapterBytes,
                             double computeBytes, double paramBytes, double stateBytes, double masterBytes, Precision precision,
                      LoraTargets targets, int rank, boolean full) {

    /** The training state of a workload on a model. */
    static TrainingMemory of(Architecture a, TrainMethod method, Optimizer optimizer, Precision precision,
                             LoraTargets targets, int rank) {
        boolean full = method == TrainMethod.FULL;
        double compute = precision == Precision.FP32 ? 4 : 2;
        double trainable = full ? a.totalParams() : loraParams(a, targets, rank);
        double paramBytes = full ? (precision == Precision.FP32 ? 4 : 2) : (precision == Precision.BF16 ? 2 : 4);
        double master = full && precision == Precision.MIXED ? 4 : 0;
        double stateBytes = switch (optimizer) {
            case ADAM, ADAMW -> 2 * (precision == Precision.BF16 ? 2 : 4);
            case ADAM_8BIT -> 2;
            case SGD_MOMENTUM -> precision == Precision.BF16 ? 2 : 4;
            case SGD -> 0;
        };
        double grads = trainable * paramBytes;
        double states = trainable * (stateBytes + master);
        double adapters = full ? 0 : trainable * paramBytes;
        return new TrainingMemory(trainable, grads, states, adapters, compute, paramBytes, stateBytes, master, precision,
                targets, rank, full);
    }

    /** What was assumed, in words (written when asked: a sweep rarely reads it). */
    public String description() {
        return full
                ? String.format("full fine-tuning, %s precision: %.0f bytes/param of weights, %.0f of gradients, "
                        + "%.0f of optimizer state%s", precision, paramBytes, paramBytes, stateBytes,
                        masterBytes > 0 ? " + 4 of fp32 master weights" : "")
                : String.format("LoRA rank %d on %s of every block: %s trainable parameters in %s (%.0f bytes/param "
                        + "of weights and gradients, %.0f of optimizer state)", rank, targets.id(),
                        NumberText.plain(Math.round(trainableParams)), paramBytes == 4 ? "fp32" : "bf16", paramBytes,
                        stateBytes);
    }

    /** LoRA parameters: r × (in + out) for each target matrix of each decoder (and encoder) block. */
    static double loraParams(Architecture a, LoraTargets targets, int rank) {
        double n = 0;
        for (Architecture.Block b : a.blocks()) {
            double block = 0;
            for (Tensor t : b.tensors()) {
                LoraTargets.Module module = module(t.role());
                if (module != null && targets.contains(module)) {
                    block += (double) rank * (t.rows() + t.cols()) * t.copies();
                }
            }
            n += b.count() * block;
        }
        return n;
    }

    /** The LoRA module name of a tensor role (fused q/k/v count as q, k and v together). */
    private static LoraTargets.Module module(Tensor.Role role) {
        return switch (role) {
            case ATTN_Q, ATTN_Q_A, ATTN_Q_B, ATTN_QKV -> LoraTargets.Module.Q;
            case ATTN_K, ATTN_KV_A -> LoraTargets.Module.K;
            case ATTN_V, ATTN_KV_B -> LoraTargets.Module.V;
            case ATTN_OUTPUT -> LoraTargets.Module.O;
            case FFN_GATE, FFN_GATE_EXPS, FFN_GATE_SHEXP -> LoraTargets.Module.GATE;
            case FFN_UP, FFN_UP_EXPS, FFN_UP_SHEXP -> LoraTargets.Module.UP;
            case FFN_DOWN, FFN_DOWN_EXPS, FFN_DOWN_SHEXP -> LoraTargets.Module.DOWN;
            default -> null;
        };
    }
}
