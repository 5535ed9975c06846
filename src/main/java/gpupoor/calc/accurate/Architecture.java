package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.InvalidScenarioException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's shape as the default method sees it, read from {@code config.json}: grouped-query
 * attention ({@code num_key_value_heads}, {@code head_dim}), tied embeddings, gated or plain MLP
 * per family, mixture-of-experts (routed experts for memory, active experts for speed, shared
 * experts, dense first layers), DeepSeek's multi-head latent attention, sliding-window layer
 * patterns, biases and norms; and from it every weight tensor, once per distinct block shape (the
 * tensors outside the blocks, then each {@link Block} with the number of layers that have it), so
 * a model of any depth takes the same memory and each figure is computed once per shape, not once
 * per layer. A model known only by its size gets a synthetic Llama-like shape with that many
 * parameters.
 *
 * @param family         architecture family
 * @param layers         transformer blocks (encoder + decoder for encoder-decoders)
 * @param encoderLayers  encoder blocks of an encoder-decoder (0 for decoder-only models)
 * @param hidden         hidden size h
 * @param heads          attention heads
 * @param kvHeads        key/value heads (GQA/MQA)
 * @param headDim        dimension per head
 * @param intermediate   dense MLP intermediate size
 * @param vocab          vocabulary size
 * @param tiedEmbeddings whether the LM head reuses the input embedding
 * @param moe            mixture-of-experts shape, or null for dense models
 * @param mla            multi-head latent attention shape, or null
 * @param slidingWindow  attention window of the sliding layers (0: none)
 * @param slidingLayers  how many layers use the window
 * @param synthetic      whether the shape was made up from a parameter count
 * @param globals        the tensors outside the blocks (embeddings, final norms, the LM head)
 * @param blocks         the distinct block shapes, each with the number of layers that have it
 */
record Architecture(ModelFamily family, int layers, int encoderLayers, int hidden, int heads, int kvHeads,
                           int headDim, int intermediate, int vocab, boolean tiedEmbeddings, Moe moe, Mla mla,
                           int slidingWindow, int slidingLayers, boolean synthetic, List<Tensor> globals,
                           List<Block> blocks) {

    /**
     * Mixture-of-experts shape.
     *
     * @param experts            routed experts per MoE layer
     * @param activeExperts      routed experts used per token
     * @param expertIntermediate intermediate size of one routed expert
     * @param sharedIntermediate total intermediate size of the always-active shared experts (0: none)
     * @param denseLayers        leading layers with a dense MLP instead of experts
     * @param layerFreq          every n-th layer after those is a MoE layer
     */
    public record Moe(int experts, int activeExperts, int expertIntermediate, int sharedIntermediate,
                      int denseLayers, int layerFreq) {
        /** Whether block {@code layer} has routed experts. */
        public boolean isMoeLayer(int layer) {
            return layer >= denseLayers && (layer - denseLayers) % Math.max(1, layerFreq) == 0;
        }

        /** How many of the first {@code decoderLayers} blocks have routed experts. */
        int moeLayers(int decoderLayers) {
            return decoderLayers <= denseLayers ? 0 : (decoderLayers - denseLayers - 1) / Math.max(1, layerFreq) + 1;
        }
    }

    /**
     * The blocks of one shape.
     *
     * @param kind    which blocks they are
     * @param tensors the tensors of one such block
     * @param count   how many layers have this shape
     */
    record Block(Kind kind, List<Tensor> tensors, int count) {
        /** The kinds of block: an encoder's, a decoder's with a dense MLP, a decoder's with routed experts. */
        enum Kind { ENCODER, DENSE, MOE }

        /** Copies the tensor list. */
        Block {
            tensors = List.copyOf(tensors);
        }

        /** Parameters of one such block. */
        long params() {
            long n = 0;
            for (Tensor t : tensors) {
                n += t.params();
            }
            return n;
        }

        /** Whether the block belongs to the decoder (runs per generated token). */
        boolean decoder() {
            return kind != Kind.ENCODER;
        }
    }

    /**
     * DeepSeek multi-head latent attention shape.
     *
     * @param qLoraRank  query compression rank (0: uncompressed queries)
     * @param kvLoraRank compressed KV dimension (what vLLM and llama.cpp cache per token)
     * @param ropeDim    decoupled RoPE key dimension (cached too)
     * @param nopeDim    per-head query/key dimension without RoPE
     * @param vHeadDim   per-head value dimension
     */
    public record Mla(int qLoraRank, int kvLoraRank, int ropeDim, int nopeDim, int vHeadDim) {
    }

    /** Copies the lists. */
    public Architecture {
        globals = List.copyOf(globals);
        blocks = List.copyOf(blocks);
    }

    // ------------------------------------------------------------------ derived sizes

    /** The block of layer {@code layer} (0-based, encoder layers first). */
    Block block(int layer) {
        Block.Kind kind = layer < encoderLayers ? Block.Kind.ENCODER
                : moe != null && moe.isMoeLayer(layer - encoderLayers) ? Block.Kind.MOE : Block.Kind.DENSE;
        for (Block b : blocks) {
            if (b.kind() == kind) {
                return b;
            }
        }
        throw new IllegalStateException("no " + kind + " block in a model of " + layers + " layers");
    }

    /** Each tensor of the model once per shape: those outside the blocks, then those of each distinct block. */
    List<Tensor> distinctTensors() {
        List<Tensor> out = new ArrayList<>(globals);
        for (Block b : blocks) {
            out.addAll(b.tensors());
        }
        return out;
    }

    /** Every parameter. */
    public long totalParams() {
        long n = 0;
        for (Tensor t : globals) {
            n += t.params();
        }
        for (Block b : blocks) {
            n += b.count() * b.params();
        }
        return n;
    }

    /**
     * Parameters a token multiplies by in one forward pass of the decoder: everything but the
     * embedding look-ups, the encoder and the routed experts that are not selected (the LM head
     * counts, also when it is the tied embedding).
     */
    public double activeParams() {
        return activeParams(1);
    }

    /**
     * Parameters read from memory in one decode step of {@code batch} sequences: like
     * {@link #activeParams()}, but a MoE layer reads every expert that at least one of the tokens
     * selects ({@code E·(1-(1-k/E)^batch)} in expectation for uniform routing).
     */
    public double activeParams(double batch) {
        double n = 0;
        for (Tensor t : globals) {
            if (t.role() != Tensor.Role.TOKEN_EMBD && t.role() != Tensor.Role.POS_EMBD) {
                n += t.params();
            }
        }
        for (Block b : blocks) {
            if (!b.decoder()) {
                continue;
            }
            double block = 0;
            for (Tensor t : b.tensors()) {
                block += t.role().routedExpert() ? t.paramsPerCopy() * expertsTouched(batch) : t.params();
            }
            n += b.count() * block;
        }
        if (tiedEmbeddings) {
            n += (double) vocab * hidden;
        }
        return n;
    }

    /** Expected routed experts of one MoE layer used by {@code tokens} tokens (all of them for a dense model). */
    public double expertsTouched(double tokens) {
        if (moe == null) {
            return 1;
        }
        double e = moe.experts();
        return e * (1 - Math.pow(1 - moe.activeExperts() / e, tokens));
    }

    /** Decoder blocks (the ones run per generated token). */
    public int decoderLayers() {
        return layers - encoderLayers;
    }

    /** Attention width of the queries: heads × head_dim (MLA: heads × (nope + rope)). */
    public long queryWidth() {
        return mla == null ? (long) heads * headDim : (long) heads * (mla.nopeDim() + mla.ropeDim());
    }

    /**
     * Key and value elements cached per token in one full-attention layer.
     *
     * @param latent for MLA models: cache the compressed latent (vLLM, llama.cpp) rather than
     *               the decompressed per-head keys and values (Hugging Face)
     */
    public long kvElementsPerLayer(boolean latent) {
        if (mla != null) {
            return latent ? mla.kvLoraRank() + mla.ropeDim()
                    : (long) heads * (mla.nopeDim() + mla.ropeDim()) + (long) heads * mla.vHeadDim();
        }
        return 2L * kvHeads * headDim;
    }

    /** Layers that cache keys and values for self-attention (decoder blocks). */
    public int attentionLayers() {
        return decoderLayers();
    }

    // ------------------------------------------------------------------ construction

    /**
     * The architecture of a model: from its config keys, or synthetic for a size-only model.
     *
     * @throws InvalidScenarioException when the config lacks the hidden size, layers or heads
     */
    public static Architecture of(ModelSpec model) {
        if (model.isSizeOnly()) {
            return synthetic(model.sizeBillions() * 1e9);
        }
        return fromConfig(model);
    }

    private static Architecture fromConfig(ModelSpec m) {
        Map<String, Object> c = m.config();
        ModelFamily family = ModelFamily.of(c);
        int h = (int) m.number(0, "hidden_size", "d_model", "n_embd");
        int layers = (int) m.number(0, "num_hidden_layers", "num_layers", "n_layer");
        int heads = (int) m.number(0, "num_attention_heads", "num_heads", "n_head");
        if (h <= 0 || layers <= 0 || heads <= 0) {
            throw new InvalidScenarioException("model '" + m.id() + "' lacks a hidden size, layer count or head count in its config; "
                    + "the default method needs hidden_size (or d_model, n_embd), num_hidden_layers (or num_layers, n_layer) "
                    + "and num_attention_heads (or num_heads, n_head)");
        }
        int headDim = (int) m.number(0, "head_dim", "d_kv");
        if (headDim <= 0) {
            headDim = h / heads;
        }
        int kvHeads = kvHeads(m, family, heads);
        int vocab = (int) m.number(32000, "vocab_size", "padded_vocab_size");
        int inter = intermediate(m, family, h);
        boolean tied = c.get("tie_word_embeddings") instanceof Boolean b ? b : family.tiedByDefault();
        boolean gated = family.gatedMlp();
        if (family == ModelFamily.T5) {
            gated = c.get("feed_forward_proj") instanceof String s && s.startsWith("gated");
        }
        Moe moe = moe(m, inter);
        Mla mla = m.has("kv_lora_rank") ? new Mla((int) m.number(0, "q_lora_rank"), (int) m.number(0, "kv_lora_rank"),
                (int) m.number(0, "qk_rope_head_dim"), (int) m.number(headDim, "qk_nope_head_dim"),
                (int) m.number(headDim, "v_head_dim")) : null;
        int encoder = 0;
        int totalLayers = layers;
        if (family == ModelFamily.T5) {
            encoder = layers;
            totalLayers = layers + (int) m.number(layers, "num_decoder_layers");
        }
        int[] sliding = sliding(m, family, totalLayers - encoder);
        Shape s = new Shape(family, h, heads, kvHeads, headDim, inter, vocab, tied, gated, moe, mla, encoder,
                positions(m, family), normsPerBlock(m, family));
        return new Architecture(family, totalLayers, encoder, h, heads, kvHeads, headDim, inter, vocab, tied, moe, mla,
                sliding[0], sliding[1], false, s.globals(), s.blocks(totalLayers));
    }

    private static int kvHeads(ModelSpec m, ModelFamily family, int heads) {
        if (family == ModelFamily.FALCON) {
            if (Boolean.TRUE.equals(m.config().get("new_decoder_architecture"))) {
                return (int) m.number(heads, "num_kv_heads", "num_key_value_heads");
            }
            return Boolean.FALSE.equals(m.config().get("multi_query")) ? heads : 1;
        }
        if (family == ModelFamily.GPT2 && Boolean.TRUE.equals(m.config().get("multi_query"))) {
            return 1;
        }
        int kv = (int) m.number(heads, "num_key_value_heads", "num_kv_heads");
        return kv > 0 ? kv : heads;
    }

    private static int intermediate(ModelSpec m, ModelFamily family, int h) {
        return switch (family) {
            case GPT2 -> (int) m.number(4.0 * h, "n_inner");
            case OPT -> (int) m.number(4.0 * h, "ffn_dim");
            case BLOOM, FALCON -> (int) m.number(4.0 * h, "ffn_hidden_size");
            case T5 -> (int) m.number(4.0 * h, "d_ff");
            default -> (int) m.number(4.0 * h, "intermediate_size", "n_inner", "ffn_dim");
        };
    }

    private static Moe moe(ModelSpec m, int inter) {
        int experts = (int) m.number(0, "n_routed_experts", "num_local_experts", "num_experts");
        if (experts <= 1) {
            return null;
        }
        int active = (int) m.number(2, "num_experts_per_tok", "num_experts_per_token", "experts_per_token");
        int expertInter = (int) m.number(inter, "moe_intermediate_size");
        int shared = (int) (m.number(0, "n_shared_experts") * expertInter + m.number(0, "shared_expert_intermediate_size"));
        int dense = (int) m.number(0, "first_k_dense_replace");
        int freq = (int) m.number(1, "moe_layer_freq", "decoder_sparse_step");
        return new Moe(experts, Math.max(1, active), expertInter, shared, dense, freq);
    }

    /** [window, layers using it]. Qwen configs state a window they do not use unless use_sliding_window is set. */
    private static int[] sliding(ModelSpec m, ModelFamily family, int decoderLayers) {
        int window = (int) m.number(0, "sliding_window");
        if (window <= 0) {
            return new int[]{0, 0};
        }
        Object types = m.config().get("layer_types");
        if (types instanceof List<?> list && !list.isEmpty()) {
            int n = (int) list.stream().filter(x -> "sliding_attention".equals(x)).count();
            return new int[]{window, n};
        }
        String type = String.valueOf(m.config().get("model_type"));
        if (type.startsWith("qwen") && !Boolean.TRUE.equals(m.config().get("use_sliding_window"))) {
            return new int[]{0, 0};
        }
        int pattern = (int) m.number(0, "sliding_window_pattern");
        if (pattern > 1) {
            return new int[]{window, decoderLayers - decoderLayers / pattern};
        }
        if (type.equals("gemma2")) {
            return new int[]{window, (decoderLayers + 1) / 2};
        }
        return new int[]{window, decoderLayers};
    }

    private static int positions(ModelSpec m, ModelFamily family) {
        return switch (family) {
            case GPT2 -> (int) m.number(1024, "n_positions", "max_position_embeddings");
            case OPT -> (int) m.number(2048, "max_position_embeddings") + 2;
            default -> 0;
        };
    }

    /**
     * Norms per block: one for Falcon-7B and Phi-2 (attention and MLP in parallel), four for Gemma
     * 2 and 3 (before and after attention and MLP), else two.
     */
    private static int normsPerBlock(ModelSpec m, ModelFamily family) {
        String type = String.valueOf(m.config().get("model_type"));
        return switch (family) {
            case FALCON -> Boolean.TRUE.equals(m.config().get("new_decoder_architecture")) ? 2 : 1;
            case PHI -> 1;
            case GEMMA -> type.startsWith("gemma2") || type.startsWith("gemma3") ? 4 : 2;
            default -> 2;
        };
    }

    /**
     * A Llama-like shape with about {@code params} parameters: from the usual aspect ratio
     * (h ≈ 128 × layers, so layers ≈ ∛(P / (12 × 128²))) the layer count, the hidden size and the
     * MLP width that brings the total to P (both multiples of 256, as in real models, so llama.cpp's
     * K-quant blocks fit their rows; 128-wide heads) are each rounded from a
     * curve that rises with P; grouped-query attention with 8 KV heads (as Llama 3, Qwen 2.5 and
     * Mistral have at every size) and a 32,000-token vocabulary. So no dimension ever shrinks as the
     * size grows, and neither do the weights, the KV cache or the activations; the rounding leaves
     * the total within about 3% of P (at most 7% from 1B up; small models are dominated by the
     * vocabulary and come out larger).
     */
    static Architecture synthetic(double params) {
        int vocab = 32000;
        double layersRaw = Math.cbrt(params / (12.0 * 128 * 128));
        double hiddenRaw = 128 * layersRaw;
        double kvRaw = Math.min(8, hiddenRaw / 128);
        double attentionRaw = 2.0 * hiddenRaw * hiddenRaw + 2.0 * hiddenRaw * kvRaw * 128;
        double interRaw = (params - 2.0 * vocab * hiddenRaw - layersRaw * (attentionRaw + 2.0 * hiddenRaw) - hiddenRaw)
                / (3.0 * hiddenRaw * layersRaw);
        int layers = (int) Math.max(2, Math.round(layersRaw));
        int h = (int) Math.max(256, Math.round(hiddenRaw / 256) * 256);
        int heads = h / 128;
        int kvHeads = Math.min(8, heads);
        int headDim = 128;
        int inter = (int) Math.max(h, Math.round(interRaw / 256) * 256);
        Shape s = new Shape(ModelFamily.LLAMA, h, heads, kvHeads, headDim, inter, vocab, false, true, null, null, 0, 0, 2);
        return new Architecture(ModelFamily.LLAMA, layers, 0, h, heads, kvHeads, headDim, inter, vocab, false, null, null,
                0, 0, true, s.globals(), s.blocks(layers));
    }

    /** The tensor builder: the per-family rules of which matrices, biases and norms a block has. */
    private record Shape(ModelFamily family, int h, int heads, int kvHeads, int headDim, int inter, int vocab,
                         boolean tied, boolean gated, Moe moe, Mla mla, int encoderLayers, int positions,
                         int normsPerBlock) {

        /** The tensors outside the blocks. */
        List<Tensor> globals() {
            List<Tensor> out = new ArrayList<>();
            out.add(new Tensor(Tensor.Role.TOKEN_EMBD, vocab, h, 1));
            if (positions > 0) {
                out.add(new Tensor(Tensor.Role.POS_EMBD, positions, h, 1));
            }
            if (family == ModelFamily.BLOOM) {
                out.add(new Tensor(Tensor.Role.VECTOR, 1, 2L * h, 1));
            }
            if (family == ModelFamily.T5 && encoderLayers > 0) {
                out.add(new Tensor(Tensor.Role.VECTOR, 1, h, 1));
            }
            out.add(new Tensor(Tensor.Role.VECTOR, 1, (family.layerNorm() ? 2L : 1L) * h, 1));
            if (!tied) {
                out.add(new Tensor(Tensor.Role.OUTPUT, vocab, h, 1));
                if (family == ModelFamily.PHI) {
                    out.add(new Tensor(Tensor.Role.VECTOR, 1, vocab, 1));
                }
            }
            return out;
        }

        /** The distinct blocks of a model of {@code layers} blocks (encoder blocks first), with their counts. */
        List<Block> blocks(int layers) {
            int decoder = layers - encoderLayers;
            int moeLayers = moe == null ? 0 : moe.moeLayers(decoder);
            List<Block> out = new ArrayList<>();
            if (encoderLayers > 0) {
                out.add(new Block(Block.Kind.ENCODER, block(false, false), encoderLayers));
            }
            if (decoder - moeLayers > 0) {
                out.add(new Block(Block.Kind.DENSE, block(true, false), decoder - moeLayers));
            }
            if (moeLayers > 0) {
                out.add(new Block(Block.Kind.MOE, block(true, true), moeLayers));
            }
            return out;
        }

        private List<Tensor> block(boolean decoder, boolean routed) {
            List<Tensor> out = new ArrayList<>();
            attention(out);
            if (family == ModelFamily.T5 && decoder && encoderLayers > 0) {
                out.add(new Tensor(Tensor.Role.CROSS_ATTN, 4L * heads * headDim, h, 1));
                out.add(new Tensor(Tensor.Role.VECTOR, 1, h, 1));
            }
            mlp(out, routed);
            out.add(new Tensor(Tensor.Role.VECTOR, 1, (family.layerNorm() ? 2L : 1L) * normsPerBlock * h, 1));
            return out;
        }

        private void attention(List<Tensor> out) {
            long q = (long) heads * headDim;
            long kv = (long) kvHeads * headDim;
            if (mla != null) {
                long qk = (long) heads * (mla.nopeDim() + mla.ropeDim());
                if (mla.qLoraRank() > 0) {
                    out.add(new Tensor(Tensor.Role.ATTN_Q_A, mla.qLoraRank(), h, 1));
                    out.add(new Tensor(Tensor.Role.VECTOR, 1, mla.qLoraRank(), 1));
                    out.add(new Tensor(Tensor.Role.ATTN_Q_B, qk, mla.qLoraRank(), 1));
                } else {
                    out.add(new Tensor(Tensor.Role.ATTN_Q, qk, h, 1));
                }
                out.add(new Tensor(Tensor.Role.ATTN_KV_A, mla.kvLoraRank() + mla.ropeDim(), h, 1));
                out.add(new Tensor(Tensor.Role.VECTOR, 1, mla.kvLoraRank(), 1));
                out.add(new Tensor(Tensor.Role.ATTN_KV_B, (long) heads * (mla.nopeDim() + mla.vHeadDim()),
                        mla.kvLoraRank(), 1));
                out.add(new Tensor(Tensor.Role.ATTN_OUTPUT, h, (long) heads * mla.vHeadDim(), 1));
                return;
            }
            boolean fused = family == ModelFamily.FALCON || family == ModelFamily.BLOOM || family == ModelFamily.GPT2
                    || family == ModelFamily.GPT_NEOX;
            if (fused) {
                out.add(new Tensor(Tensor.Role.ATTN_QKV, q + 2 * kv, h, 1));
            } else {
                out.add(new Tensor(Tensor.Role.ATTN_Q, q, h, 1));
                out.add(new Tensor(Tensor.Role.ATTN_K, kv, h, 1));
                out.add(new Tensor(Tensor.Role.ATTN_V, kv, h, 1));
            }
            out.add(new Tensor(Tensor.Role.ATTN_OUTPUT, h, q, 1));
            long bias = (family.attentionBias() ? q + 2 * kv : 0) + (family.outputProjectionBias() ? h : 0)
                    + (family == ModelFamily.GPT_OSS ? heads : 0);
            if (bias > 0) {
                out.add(new Tensor(Tensor.Role.VECTOR, 1, bias, 1));
            }
        }

        private void mlp(List<Tensor> out, boolean routed) {
            if (routed) {
                int e = moe.experts();
                int ei = moe.expertIntermediate();
                out.add(new Tensor(Tensor.Role.ROUTER, e, h, 1));
                out.add(new Tensor(Tensor.Role.FFN_GATE_EXPS, ei, h, e));
                out.add(new Tensor(Tensor.Role.FFN_UP_EXPS, ei, h, e));
                out.add(new Tensor(Tensor.Role.FFN_DOWN_EXPS, h, ei, e));
                if (family == ModelFamily.GPT_OSS) {
                    out.add(new Tensor(Tensor.Role.VECTOR, 1, (long) e * (2L * ei + h) + e, 1));
                }
                int si = moe.sharedIntermediate();
                if (si > 0) {
                    out.add(new Tensor(Tensor.Role.FFN_GATE_SHEXP, si, h, 1));
                    out.add(new Tensor(Tensor.Role.FFN_UP_SHEXP, si, h, 1));
                    out.add(new Tensor(Tensor.Role.FFN_DOWN_SHEXP, h, si, 1));
                }
                return;
            }
            if (gated) {
                out.add(new Tensor(Tensor.Role.FFN_GATE, inter, h, 1));
            }
            out.add(new Tensor(Tensor.Role.FFN_UP, inter, h, 1));
            out.add(new Tensor(Tensor.Role.FFN_DOWN, h, inter, 1));
            if (family.mlpBias()) {
                out.add(new Tensor(Tensor.Role.VECTOR, 1, (long) inter + h, 1));
            }
        }
    }
}
