package gpupoor.calc.accurate;

import gpupoor.calc.LoraTargets;

import java.util.function.Predicate;

import java.util.List;

/**
 * Working memory beyond weights and KV cache: inference compute buffers per runtime, and the
 * activations a fine-tuning step keeps for the backward pass. All results are bytes.
 */
final class Activations {
    private Activations() {
    }

    /**
     * llama.cpp's compute buffer: the graph allocator reuses memory, so the buffer is the largest
     * of the graph's stages, sized for one ubatch of {@code n = min(ubatch, context)} tokens in f32
     * (checked against llama.cpp's own buffer sizes, {@code catalog/llamacpp-buffers.csv}):
     * <ul>
     *   <li>the output stage where the device holds the output layer: the logits ({@code n × vocab})
     *       and two hidden-state tensors ({@code n × 2 × hidden});</li>
     *   <li>attention: without flash attention the score matrix {@code n × heads × context}, its f32
     *       mask {@code n × context} and about five and a half hidden-state tensors beside them; with
     *       flash attention only an f16 mask and those tensors;</li>
     *   <li>the FFN stage: gate and up ({@code 2 × intermediate}, or the selected experts') and two
     *       hidden-state tensors per token.</li>
     * </ul>
     *
     * @param context      the (padded) KV length the graph is reserved for
     * @param holdsOutput  whether this device computes the output layer
     */
    static double llamaCppBuffer(Architecture a, int ubatch, long context, boolean flash, boolean holdsOutput) {
        double n = Math.min(ubatch, context);
        double h = a.hidden();
        double out = holdsOutput ? n * (a.vocab() + 2 * h) : 0;
        double ffn;
        if (a.moe() != null) {
            ffn = n * (2.0 * a.moe().activeExperts() * a.moe().expertIntermediate() + 2.0 * a.moe().sharedIntermediate()
                    + 2 * h + a.moe().experts());
        } else {
            ffn = n * (2.0 * a.intermediate() + 2 * h);
        }
        double attn = flash ? n * (context / 2.0 + 5.5 * h) : n * ((double) a.heads() * context + context + 5.5 * h);
        return 4 * Math.max(out, Math.max(ffn, attn));
    }

    /** llama.cpp's output buffer in host memory: the logits of one token per sequence in f32. */
    static double llamaCppOutput(Architecture a, int sequences) {
        return 4.0 * a.vocab() * sequences;
    }

    /**
     * Hugging Face generate's transient peak while prefilling {@code batch × prompt} tokens, one
     * layer at a time in 16-bit: hidden states, the MLP's gate/up/product, and with eager attention
     * the {@code heads × prompt²} scores (16-bit) and their fp32 softmax; plus fp32 logits of the
     * last position (transformers computes only the last position's logits in generate).
     */
    static double hfPrefill(Architecture a, int batch, int prompt, boolean eager) {
        double tokens = (double) batch * prompt;
        double layer = tokens * (4.0 * a.hidden() + 3.0 * mlpWidth(a)) * 2;
        if (eager) {
            layer += (double) batch * a.heads() * prompt * (double) prompt * 6;
        }
        double logits = (double) batch * a.vocab() * 6;
        return layer + logits;
    }

    /** The MLP width one token touches: the dense intermediate, or its selected (and shared) experts. */
    static double mlpWidth(Architecture a) {
        if (a.moe() == null) {
            return a.intermediate();
        }
        return (double) a.moe().activeExperts() * a.moe().expertIntermediate() + a.moe().sharedIntermediate();
    }

    /**
     * Activations a fine-tuning step saves for the backward pass (PyTorch autograd, per sequence
     * of {@code seq} tokens in the compute dtype), for a pre-norm decoder block:
     * <ul>
     *   <li>RMSNorm computed in fp32 (as transformers, litgpt and torchtune do): the fp32 input and
     *       normalized values, plus the 16-bit output when the norm weight trains (LayerNorm: its input);</li>
     *   <li>the input of every linear layer whose weight trains, or that is a frozen bitsandbytes
     *       4-bit layer (bitsandbytes saves it whenever gradients flow through);</li>
     *   <li>SDPA/flash attention's q, k, v (expanded to all heads) and output; with eager attention
     *       also the scores, fp32 softmax and probabilities ({@code heads × seq} per token);</li>
     *   <li>the gated MLP's gate, activation and up outputs (a plain MLP's pre-activation);</li>
     *   <li>LoRA: the rank-r intermediate of each adapter;</li>
     *   <li>the logits in 16 bits and fp32 and the fp32 log-softmax (10 bytes per vocabulary entry).</li>
     * </ul>
     * With gradient checkpointing only each block's input is kept, plus one block's activations
     * while it is recomputed.
     *
     * @param trainsAll     full fine-tuning (every weight trains)
     * @param targets       LoRA target modules (ignored when {@code trainsAll})
     * @param savesFrozen   whether frozen linear layers save their inputs (bitsandbytes 4-bit bases)
     * @param elementBytes  bytes of the compute dtype (2 for bf16, 4 for fp32)
     */
    static double training(Architecture a, int seq, boolean trainsAll, LoraTargets targets, int rank,
                                  boolean savesFrozen, boolean eager, boolean checkpointing, double elementBytes) {
        double e = elementBytes;
        double h = a.hidden();
        double q = a.queryWidth();
        double i = mlpWidth(a);
        Predicate<LoraTargets.Module> saves = m -> trainsAll || savesFrozen || targets.contains(m);
        double norm = a.family().layerNorm() ? e * h : 8 * h + (trainsAll ? e * h : 0);
        double perToken = 2 * norm;
        if (saves.test(LoraTargets.Module.Q) || saves.test(LoraTargets.Module.K) || saves.test(LoraTargets.Module.V)) {
            perToken += e * h;
        }
        perToken += e * 4 * q + 4.0 * a.heads();
        if (saves.test(LoraTargets.Module.O)) {
            perToken += e * q;
        }
        if (saves.test(LoraTargets.Module.GATE) || saves.test(LoraTargets.Module.UP)) {
            perToken += e * h;
        }
        perToken += e * (a.family().gatedMlp() ? 3 * i : i);
        if (saves.test(LoraTargets.Module.DOWN)) {
            perToken += e * i;
        }
        if (!trainsAll) {
            perToken += e * rank * targets.modules().size();
        }
        if (eager) {
            perToken += (double) a.heads() * seq * 8;
        }
        double layers = a.layers();
        double logits = 10.0 * a.vocab() + norm;
        double perSequence;
        if (checkpointing) {
            perSequence = seq * (layers * e * h + perToken + logits);
        } else {
            perSequence = seq * (layers * perToken + e * h + logits);
        }
        return perSequence;
    }
}
