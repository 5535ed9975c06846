package gpupoor.calc.accurate;

import gpupoor.calc.LoraTargets;


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
     * Bytes one token keeps in one block for the backward pass of a fine-tuning step (PyTorch
     * autograd's saved tensors, read op by op from each runtime's code; {@link Trainer.Kernels}
     * holds what differs between runtimes):
     * <ul>
     *   <li>each norm: what its kernel keeps ({@code normBytes} per element, more when its weight
     *       trains); a LayerNorm its input;</li>
     *   <li>the input of each group of linear layers reading the same tensor (q/k/v, the attention
     *       output, gate/up, down) when a weight of the group trains, when a LoRA adapter on it
     *       shares the input, or when the group is a frozen bitsandbytes 4-bit layer; a private copy
     *       per adapter where the runtime casts the input to the adapters' dtype, and a LoRA dropout's
     *       mask and dropped copy;</li>
     *   <li>the attention core: queries, keys and values (at the query width when the runtime repeats
     *       them for grouped queries), its output and log-sum-exp; with eager attention (flash off)
     *       also the scores, fp32 softmax and probabilities ({@code heads × seq} per token);</li>
     *   <li>the MLP activation: a gated MLP's gate, SiLU(gate) and up (2 tensors when fused), a plain
     *       MLP's pre-activation;</li>
     *   <li>each LoRA adapter's rank-r intermediate.</li>
     * </ul>
     *
     * @param seq    sequence length (eager attention keeps {@code heads × seq} per token)
     * @param eager  eager attention (flash attention / SDPA off)
     */
    static double trainingLayer(Architecture a, Trainer.Kernels k, TrainingRecipe r, int seq, boolean eager) {
        double e = r.computeBytes();
        double h = a.hidden();
        double q = a.queryWidth();
        double kv = k.kvExpanded() ? q : (double) a.kvHeads() * a.headDim();
        double i = mlpWidth(a);
        boolean full = r.full();
        LoraTargets t = r.targets();
        boolean quantSaves = r.quantizedBase() && k.quantSavesInput();
        double norm = a.family().layerNorm() ? e * h : k.normBytes() * h + (full ? k.normTrainedBytes() * h : 0);
        double bytes = 2 * norm;
        bytes += inputs(k, r, quantSaves, h, e, LoraTargets.Module.Q, LoraTargets.Module.K, LoraTargets.Module.V);
        bytes += e * (2 * q + 2 * kv) + 4.0 * a.heads();
        if (eager) {
            bytes += (double) a.heads() * seq * 8;
        }
        bytes += inputs(k, r, quantSaves, q, e, LoraTargets.Module.O);
        bytes += inputs(k, r, quantSaves, h, e, LoraTargets.Module.GATE, LoraTargets.Module.UP);
        bytes += e * (a.family().gatedMlp() ? k.gatedActTensors() : 1) * i;
        bytes += inputs(k, r, quantSaves, i, e, LoraTargets.Module.DOWN);
        if (!full) {
            bytes += 4.0 * r.rank() * t.modules().stream().filter(m -> m != LoraTargets.Module.OUTPUT).count();
        }
        return bytes;
    }

    /** What a group of linear layers reading one input of {@code width} keeps of it (see {@link #trainingLayer}). */
    private static double inputs(Trainer.Kernels k, TrainingRecipe r, boolean quantSaves, double width, double e,
                                 LoraTargets.Module... group) {
        if (r.full()) {
            return e * width;
        }
        int adapters = 0;
        for (LoraTargets.Module m : group) {
            if (r.targets().contains(m)) {
                adapters++;
            }
        }
        boolean shared = quantSaves || adapters > 0 && k.loraCopyBytes() == 0;
        return (shared ? e * width : 0) + adapters * k.loraCopyBytes() * width
                + (adapters > 0 ? k.loraDropoutBytes() * width : 0);
    }

    /** Bytes per token of the gradients alive while one block runs its backward pass: its MLP's and its input's. */
    static double trainingTransient(Architecture a, Trainer.Kernels k, TrainingRecipe r) {
        return r.computeBytes() * (k.backwardMlpTensors() * mlpWidth(a) + 2.0 * a.hidden());
    }

    /** Bytes per token a checkpointed block keeps: its input. */
    static double checkpoint(Architecture a, TrainingRecipe r) {
        return r.computeBytes() * a.hidden();
    }

    /**
     * Bytes per token outside the blocks: the final norm's saved input, the hidden state's gradient,
     * and the head's input when the head trains (full fine-tuning, or a LoRA adapter on it).
     */
    static double trainingOutside(Architecture a, Trainer.Kernels k, TrainingRecipe r) {
        double e = r.computeBytes();
        double norm = a.family().layerNorm() ? e : k.normBytes();
        double head = r.full() || r.targets().contains(LoraTargets.Module.OUTPUT) ? e + k.loraCopyBytes() : 0;
        return (norm + e + head) * a.hidden();
    }
}
