package gpupoor.calc.accurate;

import gpupoor.calc.LoraTargets;
import gpupoor.calc.NumberText;
import gpupoor.calc.Optimizer;
import gpupoor.calc.Precision;

import java.util.List;

/**
 * The trainable state of a fine-tuning run, per trainable parameter:
 * <ul>
 *   <li>full fine-tuning, {@code mixed} precision: bf16 weights and gradients, fp32 master weights
 *       and fp32 optimizer states (2 + 2 + 4 + 8 = 16 bytes with Adam; Hugging Face's autocast
 *       keeps fp32 weights and gradients and bf16 copies instead, the same 16 at the peak);
 *       {@code bf16}: weights, gradients and states in bf16 (2 + 2 + 4, torchtune's and LitGPT's
 *       default); {@code fp32}: 4 + 4 + 8;</li>
 *   <li>LoRA: the frozen base as stored and rank-r adapters A (r × in) and B (out × r) on the target
 *       modules of every block, in fp32 under mixed precision (PEFT's default) or bf16;</li>
 *   <li>optimizers: Adam/AdamW two states, 8-bit Adam two 1-byte states (and an fp32 scale per block
 *       of 2048), SGD with momentum one state, plain SGD none; paged optimizers keep theirs in
 *       unified memory;</li>
 *   <li>sharded data parallelism counts DeepSpeed's fp32 gradient partition (4 bytes) under mixed
 *       precision, as its ZeRO estimators do.</li>
 * </ul>
 *
 * @param recipe          how the run is done
 * @param trainableParams parameters that receive gradients
 * @param weightBytes     bytes per trainable parameter of its weight (the frozen base is counted apart)
 * @param gradBytes       bytes per trainable parameter of its gradient
 * @param masterBytes     bytes per trainable parameter of fp32 master weights (mixed full fine-tuning)
 * @param stateBytes      bytes per trainable parameter of optimizer state
 * @param partitionBytes  bytes per trainable parameter of fp32 gradient partitions (sharded mixed precision)
 */
record TrainingMemory(TrainingRecipe recipe, double trainableParams, double weightBytes, double gradBytes,
                      double masterBytes, double stateBytes, double partitionBytes) {

    /** 8-bit optimizers keep one fp32 scale per block of this many values. */
    private static final double BLOCK = 2048;

    /** The trainable state of a recipe on a model. */
    static TrainingMemory of(Architecture a, TrainingRecipe r) {
        boolean full = r.full();
        Precision p = r.precision();
        double trainable = full ? a.totalParams() : loraParams(a, r.targets(), r.rank());
        double weight = full ? (p == Precision.FP32 ? 4 : 2) : (p == Precision.BF16 ? 2 : 4);
        double master = full && p == Precision.MIXED ? 4 : 0;
        double element = p == Precision.BF16 ? 2 : 4;
        Optimizer o = r.optimizer();
        double state = o.eightBit() ? o.moments() * (1 + 4 / BLOCK) : o.moments() * element;
        double partition = p == Precision.MIXED && r.zero() >= 1 && r.dataParallel() ? 4 : 0;
        return new TrainingMemory(r, trainable, weight, weight, master, state, partition);
    }

    /** Bytes of the trainable weights (full fine-tuning: the model itself; LoRA: the adapters). */
    double weights() {
        return trainableParams * weightBytes;
    }

    /** Bytes of all gradients. */
    double grads() {
        return trainableParams * gradBytes;
    }

    /** Bytes of master weights, optimizer states and gradient partitions (what ZeRO shards first). */
    double optimizerState() {
        return trainableParams * (masterBytes + stateBytes + partitionBytes);
    }

    /** Bytes of the optimizer states alone. */
    double states() {
        return trainableParams * stateBytes;
    }

    /** What was assumed, in words (written when asked: a sweep rarely reads it). */
    String description() {
        TrainingRecipe r = recipe;
        String opt = r.optimizer().id() + (r.optimizer().paged() ? " (states paged to host memory when short)" : "");
        return r.full()
                ? String.format("full fine-tuning, %s precision: %.0f bytes/param of weights, %.0f of gradients, "
                        + "%.3g of optimizer state (%s)%s%s", r.precision(), weightBytes, gradBytes, stateBytes, opt,
                        masterBytes > 0 ? " + 4 of fp32 master weights" : "",
                        partitionBytes > 0 ? " + 4 of fp32 gradient partitions" : "")
                : String.format("LoRA rank %d on %s of every block: %s trainable parameters in %s (%.0f bytes/param "
                        + "of weights and gradients, %.3g of optimizer state, %s)", r.rank(), r.targets().id(),
                        NumberText.plain(Math.round(trainableParams)), weightBytes == 4 ? "fp32" : "bf16", weightBytes,
                        stateBytes, opt);
    }

    /** LoRA parameters: r × (in + out) for each target matrix of each decoder (and encoder) block, and of the LM head when targeted. */
    static double loraParams(Architecture a, LoraTargets targets, int rank) {
        double n = loraParams(a.outside(), targets, rank);
        for (Architecture.Block b : a.blocks()) {
            n += b.count() * loraParams(b.tensors(), targets, rank);
        }
        return n;
    }

    private static double loraParams(List<Tensor> tensors, LoraTargets targets, int rank) {
        double n = 0;
        for (Tensor t : tensors) {
            LoraTargets.Module module = module(t.role());
            if (module != null && targets.contains(module)) {
                n += (double) rank * (t.rows() + t.cols()) * t.copies();
            }
        }
        return n;
    }

    /** The LoRA module name of a tensor role (fused q/k/v count as q, k and v together). */
    static LoraTargets.Module module(Tensor.Role role) {
        return switch (role) {
            case ATTN_Q, ATTN_Q_A, ATTN_Q_B, ATTN_QKV -> LoraTargets.Module.Q;
            case ATTN_K, ATTN_KV_A -> LoraTargets.Module.K;
            case ATTN_V, ATTN_KV_B -> LoraTargets.Module.V;
            case ATTN_OUTPUT -> LoraTargets.Module.O;
            case FFN_GATE, FFN_GATE_EXPS, FFN_GATE_SHEXP -> LoraTargets.Module.GATE;
            case FFN_UP, FFN_UP_EXPS, FFN_UP_SHEXP -> LoraTargets.Module.UP;
            case FFN_DOWN, FFN_DOWN_EXPS, FFN_DOWN_SHEXP -> LoraTargets.Module.DOWN;
            case OUTPUT -> LoraTargets.Module.OUTPUT;
            default -> null;
        };
    }
}
