package gpupoor.calc.accurate;

import gpupoor.calc.Framework;
import gpupoor.calc.Precision;

/**
 * Hugging Face transformers with PEFT and TRL (transformers 4.4x–5.x read for this model): eager
 * PyTorch kernels with SDPA attention (keys and values at their own width: {@code enable_gqa}), an
 * RMSNorm that upcasts to fp32 and keeps the fp32 input, an eager SwiGLU keeping gate, SiLU(gate)
 * and up; PEFT keeps LoRA adapters in fp32 under mixed precision and casts each adapter's input to
 * fp32 (a private 4-byte copy per adapter); bitsandbytes' 4-bit layers keep their input. The loss
 * upcasts the whole batch's logits to fp32 unless {@code --chunked-loss} (a fused linear
 * cross-entropy such as Liger's, computing and freeing the logits chunk by chunk). With
 * {@code --compile}, Inductor fuses the norms and the SwiGLU. On a quantized base, PEFT's
 * {@code prepare_model_for_kbit_training} (which TRL's SFTTrainer calls) upcasts every weight that
 * is not quantized (embeddings, head, norms) to fp32.
 */
final class HfTrainer extends Trainer {

    @Override
    Framework framework() {
        return Framework.HF;
    }

    @Override
    Kernels kernels(TrainingRecipe r) {
        double e = r.computeBytes();
        boolean fp32Adapters = r.precision() != Precision.BF16;
        String peft = fp32Adapters ? "fp32 LoRA adapters each keeping an fp32 copy of their input" : "bf16 LoRA adapters";
        if (r.compile()) {
            return new Kernels(e, 0, 2, false, fp32Adapters ? 4 : 0, 0, true, 2,
                    "torch.compile: fused RMSNorm and SwiGLU; SDPA; " + peft);
        }
        return new Kernels(4, e, 3, false, fp32Adapters ? 4 : 0, 0, true, 2,
                "eager PyTorch: fp32 RMSNorm input, SwiGLU gate/SiLU/up kept; SDPA; " + peft);
    }

    @Override
    double modelWeights(Architecture a, WeightBytes wb, TrainingRecipe r) {
        return r.quantizedBase() ? wb.total() + wb.outsideLayers() : wb.total();
    }

    @Override
    Loss loss(TrainingRecipe r) {
        return r.chunkedLoss() ? new Loss(0, 8, 8, 0,
                "fused linear cross-entropy: logits computed and freed in 8 chunks (fp32 logits and gradient of one chunk)")
                : PLAIN_LOSS;
    }
}
