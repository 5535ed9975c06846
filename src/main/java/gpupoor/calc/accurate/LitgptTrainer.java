package gpupoor.calc.accurate;

import gpupoor.calc.Framework;

/**
 * LitGPT (read from its {@code model.py}, {@code lora.py} and {@code utils.py}): eager PyTorch in
 * {@code bf16-true} — an RMSNorm upcasting to fp32, SwiGLU keeping gate, SiLU(gate) and up, keys
 * and values expanded for grouped queries; LoRA adapters in bf16 behind a dropout of 0.05 (its
 * default: a mask and a dropped copy of each adapted input); bitsandbytes for quantized bases. Its
 * LM head runs in chunks of 128 tokens and the cross-entropy stays in bf16 (logits and
 * log-softmax kept, 2 + 2 bytes). On several GPUs it loads the checkpoint into the FSDP-wrapped
 * model with a full state dict on every rank ({@code fabric.load_raw}), which holds the whole model
 * on each GPU next to its shard for a moment.
 */
final class LitgptTrainer extends Trainer {

    @Override
    Framework framework() {
        return Framework.LITGPT;
    }

    @Override
    Kernels kernels(TrainingRecipe r) {
        double e = r.computeBytes();
        if (r.compile()) {
            return new Kernels(e, 0, 2, true, 0, 1 + e, true, 2,
                    "torch.compile: fused RMSNorm and SwiGLU; SDPA on expanded keys/values; bf16 LoRA with dropout");
        }
        return new Kernels(4, 4, 3, true, 0, 1 + e, true, 2,
                "eager PyTorch: fp32 RMSNorm input, SwiGLU gate/SiLU/up kept; SDPA on expanded keys/values; "
                        + "bf16 LoRA with dropout");
    }

    @Override
    double loadPeak(double model, double shard, TrainingRecipe r) {
        return r.devices() > 1 && r.zero() == 3 ? model + shard : 0;
    }

    @Override
    Loss loss(TrainingRecipe r) {
        return r.chunkedLoss() ? new Loss(4, 4, 1, 128, "LM head and cross-entropy in chunks of 128 tokens, in bf16 "
                + "(logits and log-softmax kept)") : new Loss(4, 4, 1, 0, "bf16 cross-entropy over all tokens");
    }
}
