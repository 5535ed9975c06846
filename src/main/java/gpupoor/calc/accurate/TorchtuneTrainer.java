package gpupoor.calc.accurate;

import gpupoor.calc.Framework;

/**
 * torchtune (read from its {@code modules/} and recipes, 0.3–0.6): eager PyTorch kernels — an
 * RMSNorm upcasting to fp32 and keeping the fp32 input, SwiGLU keeping gate, SiLU(gate) and up,
 * keys and values expanded to every query head before SDPA — fused by {@code compile=True}
 * (norms and SwiGLU); LoRA adapters in bf16 sharing their layer's input (dropout 0 in its
 * configs); torchao's NF4 for QLoRA, whose linear layers keep no input. Its chunked
 * cross-entropy ({@code CEWithChunkedOutputLoss}, 8 chunks) upcasts one chunk at a time and keeps
 * each chunk's fp32 log-softmax; compiled, it keeps the bf16 logits and recomputes the rest.
 */
final class TorchtuneTrainer extends Trainer {

    @Override
    Framework framework() {
        return Framework.TORCHTUNE;
    }

    @Override
    Kernels kernels(TrainingRecipe r) {
        double e = r.computeBytes();
        if (r.compile()) {
            return new Kernels(e, 0, 2, true, 0, 0, false, 2,
                    "torch.compile: fused RMSNorm and SwiGLU; SDPA on expanded keys/values; bf16 LoRA; torchao NF4");
        }
        return new Kernels(4, e, 3, true, 0, 0, false, 2,
                "eager PyTorch: fp32 RMSNorm input, SwiGLU gate/SiLU/up kept; SDPA on expanded keys/values; bf16 LoRA; "
                        + "torchao NF4");
    }

    @Override
    Loss loss(TrainingRecipe r) {
        if (!r.chunkedLoss()) {
            return PLAIN_LOSS;
        }
        return r.compile()
                ? new Loss(2, 8, 8, 0, "compiled chunked cross-entropy (8 chunks): bf16 logits kept, one chunk in fp32")
                : new Loss(6, 4, 8, 0, "chunked cross-entropy (8 chunks): bf16 logits and fp32 log-softmax kept, "
                        + "one chunk upcast at a time");
    }
}
