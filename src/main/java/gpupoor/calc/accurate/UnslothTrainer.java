package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Scenario;

/**
 * Unsloth (read from its {@code models/llama.py}, {@code kernels/} and README): Triton kernels for
 * RMSNorm (keeps the bf16 input and one scale per row), RoPE (in place), SwiGLU (keeps gate and
 * up, and writes their gradients in place in the backward pass) and LoRA (its autograd functions
 * keep each adapted group's input once, adapters cast to bf16 in the matmul); flash attention with grouped keys; Apple's Cut Cross-Entropy, which never
 * materializes the logits; and {@code use_gradient_checkpointing="unsloth"}, which moves each
 * block's input to host memory asynchronously. One GPU (multi-GPU is not in the open-source
 * release).
 */
final class UnslothTrainer extends Trainer {

    @Override
    Framework framework() {
        return Framework.UNSLOTH;
    }

    @Override
    void check(Scenario s, TrainingRecipe r) {
        if (s.deviceCount() > 1) {
            throw new InvalidScenarioException("Unsloth trains on one GPU: " + Input.DEVICES.ref(s.deviceCount())
                    + " is not modelled with it (use hf, torchtune or litgpt on several GPUs)");
        }
    }

    @Override
    Kernels kernels(TrainingRecipe r) {
        return new Kernels(r.computeBytes(), 0, 2, false, 0, 0, true, 1,
                "Unsloth Triton kernels: fused RMSNorm, RoPE, SwiGLU and LoRA (one input kept per adapted group, "
                        + "the SwiGLU backward in place); flash attention");
    }

    @Override
    Loss loss(TrainingRecipe r) {
        return r.chunkedLoss() ? new Loss(0, 0, 1, 0, "Cut Cross-Entropy: logits never materialized")
                : new Loss(2, 8, 1, 0, "fused cross-entropy kernel over all tokens (bf16 logits kept)");
    }

    @Override
    boolean offloadsCheckpoints(TrainingRecipe r) {
        return r.checkpointing();
    }
}
