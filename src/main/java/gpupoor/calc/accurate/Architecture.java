package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.InvalidScenarioException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A model's shape as the default method sees it, read from {@code config.json} (the text model's
 * config for a multimodal model, with its {@code vision_config}): grouped-query attention
 * ({@code num_key_value_heads}, {@code head_dim}), tied embeddings, gated or plain MLP per family,
 * mixture-of-experts (routed experts for memory, active experts for speed, shared experts, dense
 * first layers, interleaved MoE layers), DeepSeek's multi-head latent attention, what mixes the
 * tokens of each block ({@link Mixer}: full, sliding-window or chunked attention, or a recurrent
 * {@link RecurrentMixer} such as Mamba or Gated DeltaNet with a fixed state per sequence), biases
 * and norms, the vision tower; and from it every weight tensor. A model known only by its size gets
 * a synthetic shape with that many parameters and the grouped-query attention typical of current
 * models ({@link #synthetic}). The blocks come in a few shapes (dense; sliding and full attention
 * alternating; attention, recurrent and MoE blocks of a hybrid): each {@link Block} holds its
 * tensors once, with how many blocks have it, so that figures are computed once per shape however
 * many blocks a config declares.
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
 * @param slidingWindow  attention window of the sliding (or chunked) layers (0: none)
 * @param slidingLayers  how many layers use the window
 * @param attentionLayers decoder blocks that cache keys and values (the others hold a recurrent state)
 * @param chunked        whether the windowed layers attend within fixed chunks (Llama 4) rather than a sliding window
 * @param recurrent      the mixer of the blocks with a recurrent state, or null for none
 * @param recurrentLayers decoder blocks with a recurrent state (Falcon-H1 runs attention and Mamba-2 in every block)
 * @param synthetic      whether the shape was made up from a parameter count
 * @param outside        the weight tensors outside the blocks (embeddings, final norm, LM head, vision tower)
 * @param leading        how many of {@code outside} come before the blocks in the model's order (the embeddings)
 * @param blocks         the blocks' distinct shapes, in the order of their first block
 * @param blockIndex     for each block, the index of its shape in {@code blocks} (not copied: never modified)
 */
record Architecture(ModelFamily family, int layers, int encoderLayers, int hidden, int heads, int kvHeads,
                           int headDim, int intermediate, int vocab, boolean tiedEmbeddings, Moe moe, Mla mla,
                           int slidingWindow, int slidingLayers, int attentionLayers, boolean chunked,
                           RecurrentMixer recurrent, int recurrentLayers, boolean synthetic, List<Tensor> outside,
                           int leading, List<Block> blocks, int[] blockIndex) {

    /** What mixes the tokens of one decoder block. */
    enum Mixer {
        /** Attention over the whole context. */
        FULL_ATTENTION,
        /** Attention over the last {@code sliding_window} tokens. */
        SLIDING_ATTENTION,
        /** Attention within fixed chunks of {@code attention_chunk_size} tokens (Llama 4). */
        CHUNKED_ATTENTION,
        /** A recurrent mixer only (Mamba, Gated DeltaNet): no KV cache, a fixed state. */
        RECURRENT,
        /** Attention and a recurrent mixer side by side (Falcon-H1). */
        PARALLEL;

        /** Whether the block caches keys and values. */
        boolean attends() {
            return this != RECURRENT;
        }

        /** Whether the block keeps a recurrent state. */
        boolean recurs() {
            return this == RECURRENT || this == PARALLEL;
        }

        /** Whether the block's cache holds at most a window of tokens. */
        boolean windowed() {
            return this == SLIDING_ATTENTION || this == CHUNKED_ATTENTION;
        }
    }

    /**
     * Mixture-of-experts shape.
     *
     * @param experts            routed experts per MoE layer
     * @param activeExperts      routed experts used per token
     * @param expertIntermediate intermediate size of one routed expert
     * @param sharedIntermediate total intermediate size of the always-active shared experts (0: none)
     * @param denseLayers        leading layers with a dense MLP instead of experts
     * @param layerFreq          every n-th layer after those is a MoE layer
     * @param offset             the first MoE layer's index modulo {@code layerFreq} (Jamba's
     *                           {@code expert_layer_offset}; Llama 4 and Qwen MoE put experts in
     *                           every n-th layer counting from 1, offset n - 1)
     */
    public record Moe(int experts, int activeExperts, int expertIntermediate, int sharedIntermediate,
                      int denseLayers, int layerFreq, int offset) {
        /** Whether block {@code layer} has routed experts. */
        public boolean isMoeLayer(int layer) {
            int freq = Math.max(1, layerFreq);
            return layer >= denseLayers && layer % freq == offset % freq;
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

    /**
     * Blocks of one shape: the same tensors (encoder or decoder, the same mixer, with or without
     * routed experts), in every block but for the block index they carry.
     *
     * @param first   the first block of this shape
     * @param count   how many blocks have it
     * @param tensors the tensors of block {@code first} (block i's are each {@link Tensor#at at(i)})
     */
    record Block(int first, int count, List<Tensor> tensors) {
        /** Copies the tensor list. */
        Block {
            tensors = List.copyOf(tensors);
        }

        /** The tensors of block {@code layer} (one of this shape). */
        List<Tensor> at(int layer) {
            return layer == first ? tensors : tensors.stream().map(t -> t.at(layer)).toList();
        }

        /** Parameters of one block of this shape. */
        long params() {
            long n = 0;
            for (Tensor t : tensors) {
                n += t.params();
            }
            return n;
        }
    }

    /** Copies the lists. */
    public Architecture {
        outside = List.copyOf(outside);
        blocks = List.copyOf(blocks);
    }

    /** The shape of block {@code layer}. */
    public Block block(int layer) {
        return blocks.get(blockIndex[layer]);
    }

    // ------------------------------------------------------------------ derived sizes

    /** Every parameter. */
    public long totalParams() {
        long n = 0;
        for (Tensor t : outside) {
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
        double[][] perBlock = new double[blocks.size()][];
        for (int b = 0; b < blocks.size(); b++) {
            perBlock[b] = blocks.get(b).tensors().stream().mapToDouble(t -> activeParams(t, batch)).toArray();
        }
        double n = inModelOrder(outside.stream().mapToDouble(t -> activeParams(t, batch)).toArray(), leading, perBlock,
                blockIndex);
        if (tiedEmbeddings) {
            n += (double) vocab * hidden;
        }
        return n;
    }

    private double activeParams(Tensor t, double batch) {
        if (!t.role().perToken() || isEncoder(t)) {
            return 0;
        }
        return t.role().routedExpert() ? t.paramsPerCopy() * expertsTouched(batch) : t.params();
    }

    /**
     * A sum over every tensor of a model in its order: the first {@code leading} of the values
     * outside the blocks, then each block's values (those of its kind), then the other outside values.
     * Fractional values (expected experts, fractional bits per weight) so add up to the last bit as
     * they do one tensor at a time; the values are worked out once per kind of block, and a zero
     * stands for a tensor left out of the sum.
     *
     * @param outside values of the tensors outside the blocks
     * @param kinds   for each kind of block, the values of its tensors
     * @param kindOf  for each block, its kind
     */
    static double inModelOrder(double[] outside, int leading, double[][] kinds, int[] kindOf) {
        double n = 0;
        for (int j = 0; j < leading; j++) {
            n += outside[j];
        }
        for (int k : kindOf) {
            for (double v : kinds[k]) {
                n += v;
            }
        }
        for (int j = leading; j < outside.length; j++) {
            n += outside[j];
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

    /** Whether a tensor belongs to the encoder of an encoder-decoder. */
    public boolean isEncoder(Tensor t) {
        return t.layer() >= 0 && t.layer() < encoderLayers;
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

    /** Matrix products of the last block (a stacked expert tensor counts once): what a row split gathers per layer. */
    public int matricesPerLayer() {
        int n = 0;
        for (Tensor t : block(layers - 1).tensors()) {
            if (t.role().matrix() && t.role() != Tensor.Role.ROUTER) {
                n++;
            }
        }
        return Math.max(1, n);
    }

    /** Inputs plus outputs (rows + columns) of the last block's matrix products: the activations a row split moves per token. */
    public double matrixEdgesPerLayer() {
        double sum = 0;
        for (Tensor t : block(layers - 1).tensors()) {
            if (t.role().matrix() && t.role() != Tensor.Role.ROUTER) {
                sum += t.rows() + t.cols();
            }
        }
        return sum;
    }

    /** Elements of the recurrent state one sequence keeps in all blocks together (0 without recurrent blocks). */
    public long recurrentElements() {
        return recurrent == null ? 0 : recurrentLayers * (recurrent.convElements() + recurrent.stateElements());
    }

    /** Parameters of the vision tower and its projector (0 for a text-only model). */
    public long visionParams() {
        long n = 0;
        for (Tensor t : outside) {
            if (t.role() == Tensor.Role.VISION) {
                n += t.params();
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ construction

    /**
     * The architecture of a model: from its config keys, or synthetic for a size-only model.
     *
     * @throws InvalidScenarioException when the config lacks the hidden size, layers or heads, or
     *                                  has recurrent layers without their shape
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
        String type = c.get("model_type") instanceof String t ? t.toLowerCase(Locale.ROOT) : "";
        boolean attentionFree = family == ModelFamily.MAMBA;
        int h = (int) m.number(0, "hidden_size", "d_model", "n_embd");
        int layers = (int) m.number(0, "num_hidden_layers", "num_layers", "n_layer");
        int heads = attentionFree ? 0 : (int) m.number(0, "num_attention_heads", "num_heads", "n_head");
        if (h <= 0 || layers <= 0 || (heads <= 0 && !attentionFree)) {
            throw new InvalidScenarioException("model '" + m.id() + "' lacks a hidden size, layer count or head count in its config; "
                    + "the default method needs hidden_size (or d_model, n_embd), num_hidden_layers (or num_layers, n_layer) "
                    + "and num_attention_heads (or num_heads, n_head)");
        }
        int headDim = attentionFree ? 0 : (int) m.number(0, "head_dim", "d_kv");
        if (headDim <= 0 && !attentionFree) {
            headDim = h / heads;
        }
        int kvHeads = attentionFree ? 0 : kvHeads(m, family, heads);
        int vocab = (int) m.number(32000, "vocab_size", "padded_vocab_size");
        int inter = attentionFree ? 0 : intermediate(m, family, h);
        int denseInter = (int) m.number(inter, "intermediate_size_mlp");
        boolean tied = c.get("tie_word_embeddings") instanceof Boolean b ? b : family.tiedByDefault();
        boolean gated = family.gatedMlp();
        if (family == ModelFamily.T5) {
            gated = c.get("feed_forward_proj") instanceof String s && s.startsWith("gated");
        }
        Moe moe = attentionFree ? null : moe(m, type, inter);
        Mla mla = m.has("kv_lora_rank") ? new Mla((int) m.number(0, "q_lora_rank"), (int) m.number(0, "kv_lora_rank"),
                (int) m.number(0, "qk_rope_head_dim"), (int) m.number(headDim, "qk_nope_head_dim"),
                (int) m.number(headDim, "v_head_dim")) : null;
        int encoder = 0;
        int totalLayers = layers;
        if (family == ModelFamily.T5) {
            encoder = layers;
            totalLayers = layers + (int) m.number(layers, "num_decoder_layers");
        }
        LayerPlan plan = LayerPlan.of(m, family, type, totalLayers - encoder);
        RecurrentMixer recurrent = plan.recurrentLayers() > 0 ? RecurrentMixer.of(m, type, h) : null;
        if (plan.recurrentLayers() > 0 && recurrent == null) {
            throw new InvalidScenarioException("model '" + m.id() + "' has " + plan.recurrentLayers() + " recurrent (state-space "
                    + "or linear-attention) layers, but its config gives no shape for them: the default method reads "
                    + "Mamba's mamba_d_state/state_size, Mamba-2's mamba_n_heads/num_heads or Gated DeltaNet's linear_* keys");
        }
        boolean gatedQuery = type.startsWith("qwen3_next") || type.startsWith("qwen3next");
        Object vision = c.get("vision_config");
        Shape s = new Shape(family, h, heads, kvHeads, headDim, denseInter, vocab, tied, gated, moe, mla, encoder,
                positions(m, family), plan.mixers(), recurrent, gatedQuery,
                VisionTower.tensors(vision instanceof Map<?, ?> v ? v : null, h));
        Tensors t = s.tensors(totalLayers, normsPerBlock(m, family));
        return new Architecture(family, totalLayers, encoder, h, heads, kvHeads, headDim, denseInter, vocab, tied, moe, mla,
                plan.window(), plan.windowedLayers(), plan.attentionLayers(), plan.chunked(), recurrent,
                plan.recurrentLayers(), false, t.outside(), t.leading(), t.blocks(), t.blockIndex());
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

    /**
     * The mixture of experts, or null for a dense model. Which blocks hold experts: after
     * {@code first_k_dense_replace} dense ones, every {@code moe_layer_freq}-th (DeepSeek), every
     * {@code decoder_sparse_step}-th or {@code interleave_moe_layer_step}-th counting from 1 (Qwen
     * MoE, Llama 4), or every {@code expert_layer_period}-th from {@code expert_layer_offset} (Jamba).
     * Llama 4's MoE blocks have one shared expert as wide as a routed one.
     */
    private static Moe moe(ModelSpec m, String type, int inter) {
        int experts = (int) m.number(0, "n_routed_experts", "num_local_experts", "num_experts");
        if (experts <= 1) {
            return null;
        }
        int active = (int) m.number(2, "num_experts_per_tok", "num_experts_per_token", "experts_per_token");
        int expertInter = (int) m.number(inter, "moe_intermediate_size");
        int shared = (int) (m.number(0, "n_shared_experts") * expertInter + m.number(0, "shared_expert_intermediate_size"));
        if (type.startsWith("llama4") && !m.has("n_shared_experts", "shared_expert_intermediate_size")) {
            shared = expertInter;
        }
        int dense = (int) m.number(0, "first_k_dense_replace");
        int freq;
        int offset;
        if (m.has("expert_layer_period")) {
            freq = (int) m.number(1, "expert_layer_period");
            offset = (int) m.number(0, "expert_layer_offset");
        } else if (m.has("interleave_moe_layer_step", "decoder_sparse_step")) {
            freq = (int) m.number(1, "interleave_moe_layer_step", "decoder_sparse_step");
            offset = freq - 1;
        } else {
            freq = (int) m.number(1, "moe_layer_freq");
            offset = 0;
        }
        return new Moe(experts, Math.max(1, active), expertInter, shared, dense, Math.max(1, freq), Math.max(0, offset));
    }

    /**
     * Which mixer each decoder block has, and the window of the windowed ones.
     *
     * @param mixers one per decoder block
     * @param window the sliding window or attention chunk (0: none)
     * @param chunked whether the windowed blocks attend within chunks
     */
    private record LayerPlan(List<Mixer> mixers, int window, boolean chunked) {

        int attentionLayers() {
            return (int) mixers.stream().filter(Mixer::attends).count();
        }

        int windowedLayers() {
            return window > 0 ? (int) mixers.stream().filter(Mixer::windowed).count() : 0;
        }

        int recurrentLayers() {
            return (int) mixers.stream().filter(Mixer::recurs).count();
        }

        /**
         * The plan of a config: a Mamba model recurs in every block, Falcon-H1 runs attention and
         * Mamba-2 side by side in every block; else {@code layer_types} when the config lists them,
         * Jamba's {@code attn_layer_period}/{@code attn_layer_offset}, Qwen3-Next's
         * {@code full_attention_interval} (the others Gated DeltaNet), Llama 4's chunked attention
         * ({@code attention_chunk_size}; every {@code no_rope_layer_interval}-th block global), and
         * the sliding-window rules ({@link #sliding}).
         */
        static LayerPlan of(ModelSpec m, ModelFamily family, String type, int decoder) {
            Map<String, Object> c = m.config();
            int window = (int) m.number(0, "sliding_window");
            if (family == ModelFamily.MAMBA) {
                return uniform(decoder, Mixer.RECURRENT);
            }
            if (type.startsWith("falcon_h1") || type.startsWith("falcon-h1")) {
                return uniform(decoder, Mixer.PARALLEL);
            }
            if (c.get("layer_types") instanceof List<?> types && !types.isEmpty()) {
                List<Mixer> mixers = new ArrayList<>(decoder);
                boolean chunked = false;
                for (int i = 0; i < decoder; i++) {
                    Mixer mx = i < types.size() ? mixer(types.get(i), window > 0) : Mixer.FULL_ATTENTION;
                    chunked |= mx == Mixer.CHUNKED_ATTENTION;
                    mixers.add(mx);
                }
                int chunk = (int) m.number(0, "attention_chunk_size");
                return new LayerPlan(mixers, chunked ? chunk : window, chunked);
            }
            if (m.has("attn_layer_period")) {
                int period = Math.max(1, (int) m.number(1, "attn_layer_period"));
                int offset = (int) m.number(0, "attn_layer_offset");
                return pattern(decoder, i -> i % period == offset % period ? Mixer.FULL_ATTENTION : Mixer.RECURRENT, 0, false);
            }
            if (m.number(0, "full_attention_interval") > 0) {
                int interval = (int) m.number(1, "full_attention_interval");
                return pattern(decoder, i -> (i + 1) % interval == 0 ? Mixer.FULL_ATTENTION : Mixer.RECURRENT, 0, false);
            }
            int chunk = (int) m.number(0, "attention_chunk_size");
            if (type.startsWith("llama4") && chunk > 0) {
                if (c.get("no_rope_layers") instanceof List<?> rope && rope.size() >= decoder) {
                    return pattern(decoder, i -> rope.get(i) instanceof Number n && n.intValue() == 0
                            ? Mixer.FULL_ATTENTION : Mixer.CHUNKED_ATTENTION, chunk, true);
                }
                int interval = Math.max(1, (int) m.number(4, "no_rope_layer_interval"));
                return pattern(decoder, i -> (i + 1) % interval == 0 ? Mixer.FULL_ATTENTION : Mixer.CHUNKED_ATTENTION,
                        chunk, true);
            }
            return sliding(m, type, decoder, window);
        }

        /**
         * Sliding windows without {@code layer_types}: Qwen configs state a window they do not use
         * unless {@code use_sliding_window} is set; {@code sliding_window_pattern} n slides all but
         * every n-th block (Gemma 3); Gemma 2 alternates, starting with a sliding block; else every
         * block slides (Mistral 7B v0.1).
         */
        private static LayerPlan sliding(ModelSpec m, String type, int decoder, int window) {
            if (window <= 0 || type.startsWith("qwen") && !Boolean.TRUE.equals(m.config().get("use_sliding_window"))) {
                return uniform(decoder, Mixer.FULL_ATTENTION);
            }
            int pattern = (int) m.number(0, "sliding_window_pattern");
            if (pattern > 1) {
                return pattern(decoder, i -> (i + 1) % pattern == 0 ? Mixer.FULL_ATTENTION : Mixer.SLIDING_ATTENTION,
                        window, false);
            }
            if (type.equals("gemma2")) {
                return pattern(decoder, i -> i % 2 == 0 ? Mixer.SLIDING_ATTENTION : Mixer.FULL_ATTENTION, window, false);
            }
            return new LayerPlan(Collections.nCopies(decoder, Mixer.SLIDING_ATTENTION), window, false);
        }

        /** A {@code layer_types} entry; an unknown one counts as full attention (the larger cache). */
        private static Mixer mixer(Object type, boolean hasWindow) {
            String t = String.valueOf(type).toLowerCase(Locale.ROOT);
            return switch (t) {
                case "sliding_attention" -> hasWindow ? Mixer.SLIDING_ATTENTION : Mixer.FULL_ATTENTION;
                case "chunked_attention" -> Mixer.CHUNKED_ATTENTION;
                case "linear_attention", "mamba", "mamba2", "recurrent", "ssm" -> Mixer.RECURRENT;
                case "hybrid" -> Mixer.PARALLEL;
                default -> Mixer.FULL_ATTENTION;
            };
        }

        private static LayerPlan uniform(int decoder, Mixer mixer) {
            return new LayerPlan(Collections.nCopies(decoder, mixer), 0, false);
        }

        private static LayerPlan pattern(int decoder, IntFunction<Mixer> rule, int window, boolean chunked) {
            List<Mixer> mixers = new ArrayList<>(decoder);
            for (int i = 0; i < decoder; i++) {
                mixers.add(rule.apply(i));
            }
            return new LayerPlan(mixers, window, chunked);
        }
    }

    private static int positions(ModelSpec m, ModelFamily family) {
        return switch (family) {
            case GPT2 -> (int) m.number(1024, "n_positions", "max_position_embeddings");
            case OPT -> (int) m.number(2048, "max_position_embeddings") + 2;
            default -> 0;
        };
    }

    /**
     * Norms per block: one for Falcon-7B, Phi-2 (attention and MLP in parallel) and Mamba, four for
     * Gemma 2 and 3 (before and after attention and MLP), else two.
     */
    private static int normsPerBlock(ModelSpec m, ModelFamily family) {
        String type = String.valueOf(m.config().get("model_type"));
        return switch (family) {
            case FALCON -> Boolean.TRUE.equals(m.config().get("new_decoder_architecture")) ? 2 : 1;
            case PHI, MAMBA -> 1;
            case GEMMA -> type.startsWith("gemma2") || type.startsWith("gemma3") ? 4 : 2;
            default -> 2;
        };
    }

    /** KV heads of a size-only model: 8, as nearly every current model from 0.5B to 405B has. */
    static final int SYNTHETIC_KV_HEADS = 8;

    /** Widths of a size-only model come in multiples of 256, as real ones do (llama.cpp's K-quant blocks need it). */
    private static final int SYNTHETIC_GRAIN = 256;

    /**
     * A Llama-like shape with about {@code params} parameters: from the usual aspect ratio
     * (h ≈ 128 × layers, so layers ≈ ∛(P / (12 × 128²))) the layer count, the hidden size and the
     * MLP width that brings the total to P (both multiples of {@link #SYNTHETIC_GRAIN}, as in real
     * models, so llama.cpp's K-quant blocks fit their rows; 128-wide heads) are each rounded from a
     * curve that rises with P; grouped-query attention with {@link #SYNTHETIC_KV_HEADS} KV heads (as
     * Llama 3, Qwen 2.5 and Mistral have at every size) and a 32,000-token vocabulary. So no
     * dimension ever shrinks as the size grows, and neither do the weights, the KV cache or the
     * activations; the rounding leaves the total within about 3% of P (at most 7% from 1B up; small
     * models are dominated by the vocabulary and come out larger).
     */
    static Architecture synthetic(double params) {
        int vocab = 32000;
        int g = SYNTHETIC_GRAIN;
        double layersRaw = Math.cbrt(params / (12.0 * 128 * 128));
        double hiddenRaw = 128 * layersRaw;
        double kvRaw = Math.min(SYNTHETIC_KV_HEADS, hiddenRaw / 128);
        double attentionRaw = 2.0 * hiddenRaw * hiddenRaw + 2.0 * hiddenRaw * kvRaw * 128;
        double interRaw = (params - 2.0 * vocab * hiddenRaw - layersRaw * (attentionRaw + 2.0 * hiddenRaw) - hiddenRaw)
                / (3.0 * hiddenRaw * layersRaw);
        int layers = (int) Math.max(2, Math.round(layersRaw));
        int h = (int) Math.max(g, Math.round(hiddenRaw / g) * g);
        int heads = h / 128;
        int kvHeads = Math.min(SYNTHETIC_KV_HEADS, heads);
        int headDim = 128;
        int inter = (int) Math.max(h, Math.round(interRaw / g) * g);
        List<Mixer> mixers = Collections.nCopies(layers, Mixer.FULL_ATTENTION);
        Shape s = new Shape(ModelFamily.LLAMA, h, heads, kvHeads, headDim, inter, vocab, false, true, null, null, 0, 0,
                mixers, null, false, List.of());
        Tensors t = s.tensors(layers, 2);
        return new Architecture(ModelFamily.LLAMA, layers, 0, h, heads, kvHeads, headDim, inter, vocab, false, null, null,
                0, 0, layers, false, null, 0, true, t.outside(), t.leading(), t.blocks(), t.blockIndex());
    }

    /**
     * A model's tensors: those outside the blocks, the blocks' distinct shapes and each block's shape.
     *
     * @param outside    tensors outside the blocks
     * @param leading    how many of them come before the blocks
     * @param blocks     distinct block shapes
     * @param blockIndex per block, its shape's index in {@code blocks}
     */
    private record Tensors(List<Tensor> outside, int leading, List<Block> blocks, int[] blockIndex) {
    }

    /**
     * What decides a block's tensors: whether it is a decoder block, what mixes its tokens, whether
     * its MLP holds routed experts. Blocks of one kind have one shape.
     */
    private record BlockKind(boolean decoder, Mixer mixer, boolean experts) {
        /** How many kinds there are. */
        static final int COUNT = 4 * Mixer.values().length;

        /** This kind as a number below {@link #COUNT}. */
        int code() {
            return mixer.ordinal() * 4 + (decoder ? 2 : 0) + (experts ? 1 : 0);
        }
    }

    /**
     * The tensor builder: the per-family rules of which matrices, biases and norms a block has.
     */
    private record Shape(ModelFamily family, int h, int heads, int kvHeads, int headDim, int inter, int vocab,
                         boolean tied, boolean gated, Moe moe, Mla mla, int encoderLayers, int positions,
                         List<Mixer> mixers, RecurrentMixer recurrent, boolean gatedQuery, List<Tensor> vision) {

        /** The tensors of {@code layers} blocks: each kind of block built once, at its first block. */
        Tensors tensors(int layers, int normsPerBlock) {
            int[] blockIndex = new int[layers];
            int[] index = new int[BlockKind.COUNT];
            Arrays.fill(index, -1);
            List<BlockKind> kinds = new ArrayList<>();
            List<Integer> firsts = new ArrayList<>();
            int[] counts = new int[BlockKind.COUNT];
            for (int i = 0; i < layers; i++) {
                BlockKind kind = kind(i);
                int b = index[kind.code()];
                if (b < 0) {
                    b = kinds.size();
                    index[kind.code()] = b;
                    kinds.add(kind);
                    firsts.add(i);
                }
                blockIndex[i] = b;
                counts[b]++;
            }
            List<Block> blocks = new ArrayList<>(kinds.size());
            for (int b = 0; b < kinds.size(); b++) {
                blocks.add(new Block(firsts.get(b), counts[b], block(firsts.get(b), kinds.get(b), normsPerBlock)));
            }
            List<Tensor> outside = new ArrayList<>(embeddings());
            int leading = outside.size();
            outside.addAll(afterBlocks());
            return new Tensors(outside, leading, blocks, blockIndex);
        }

        private BlockKind kind(int i) {
            boolean decoder = i >= encoderLayers;
            Mixer mixer = decoder ? mixers.get(i - encoderLayers) : Mixer.FULL_ATTENTION;
            return new BlockKind(decoder, mixer, moe != null && moe.isMoeLayer(i - encoderLayers));
        }

        /** The tensors of block {@code i}, of kind {@code kind}. */
        private List<Tensor> block(int i, BlockKind kind, int normsPerBlock) {
            List<Tensor> out = new ArrayList<>();
            if (kind.mixer().attends()) {
                attention(out, i);
            }
            if (kind.mixer().recurs()) {
                recurrent.tensors(out, i, h);
            }
            if (family == ModelFamily.T5 && kind.decoder() && encoderLayers > 0) {
                out.add(new Tensor(Tensor.Role.CROSS_ATTN, i, 4L * heads * headDim, h, 1));
                out.add(new Tensor(Tensor.Role.VECTOR, i, 1, h, 1));
            }
            if (family != ModelFamily.MAMBA) {
                mlp(out, i, kind.experts());
            }
            out.add(new Tensor(Tensor.Role.VECTOR, i, 1, (family.layerNorm() ? 2L : 1L) * normsPerBlock * h, 1));
            return out;
        }

        /** The tensors before the blocks: the embeddings (BLOOM: and their norm). */
        private List<Tensor> embeddings() {
            List<Tensor> out = new ArrayList<>();
            out.add(Tensor.global(Tensor.Role.TOKEN_EMBD, vocab, h));
            if (positions > 0) {
                out.add(Tensor.global(Tensor.Role.POS_EMBD, positions, h));
            }
            if (family == ModelFamily.BLOOM) {
                out.add(Tensor.global(Tensor.Role.VECTOR, 1, 2L * h));
            }
            return out;
        }

        /** The tensors after the blocks: the final norm(s), the LM head and the vision tower. */
        private List<Tensor> afterBlocks() {
            List<Tensor> out = new ArrayList<>();
            if (family == ModelFamily.T5 && encoderLayers > 0) {
                out.add(Tensor.global(Tensor.Role.VECTOR, 1, h));
            }
            out.add(Tensor.global(Tensor.Role.VECTOR, 1, (family.layerNorm() ? 2L : 1L) * h));
            if (!tied) {
                out.add(Tensor.global(Tensor.Role.OUTPUT, vocab, h));
                if (family == ModelFamily.PHI) {
                    out.add(Tensor.global(Tensor.Role.VECTOR, 1, vocab));
                }
            }
            out.addAll(vision);
            return out;
        }

        private void attention(List<Tensor> out, int i) {
            long q = (long) heads * headDim;
            long kv = (long) kvHeads * headDim;
            if (mla != null) {
                long qk = (long) heads * (mla.nopeDim() + mla.ropeDim());
                if (mla.qLoraRank() > 0) {
                    out.add(new Tensor(Tensor.Role.ATTN_Q_A, i, mla.qLoraRank(), h, 1));
                    out.add(new Tensor(Tensor.Role.VECTOR, i, 1, mla.qLoraRank(), 1));
                    out.add(new Tensor(Tensor.Role.ATTN_Q_B, i, qk, mla.qLoraRank(), 1));
                } else {
                    out.add(new Tensor(Tensor.Role.ATTN_Q, i, qk, h, 1));
                }
                out.add(new Tensor(Tensor.Role.ATTN_KV_A, i, mla.kvLoraRank() + mla.ropeDim(), h, 1));
                out.add(new Tensor(Tensor.Role.VECTOR, i, 1, mla.kvLoraRank(), 1));
                out.add(new Tensor(Tensor.Role.ATTN_KV_B, i, (long) heads * (mla.nopeDim() + mla.vHeadDim()),
                        mla.kvLoraRank(), 1));
                out.add(new Tensor(Tensor.Role.ATTN_OUTPUT, i, h, (long) heads * mla.vHeadDim(), 1));
                return;
            }
            boolean fused = family == ModelFamily.FALCON || family == ModelFamily.BLOOM || family == ModelFamily.GPT2
                    || family == ModelFamily.GPT_NEOX;
            if (fused) {
                out.add(new Tensor(Tensor.Role.ATTN_QKV, i, q + 2 * kv, h, 1));
            } else {
                // Qwen3-Next's gated attention projects a sigmoid gate per query element alongside the queries
                out.add(new Tensor(Tensor.Role.ATTN_Q, i, gatedQuery ? 2 * q : q, h, 1));
                out.add(new Tensor(Tensor.Role.ATTN_K, i, kv, h, 1));
                out.add(new Tensor(Tensor.Role.ATTN_V, i, kv, h, 1));
            }
            out.add(new Tensor(Tensor.Role.ATTN_OUTPUT, i, h, q, 1));
            long bias = (family.attentionBias() ? q + 2 * kv : 0) + (family.outputProjectionBias() ? h : 0)
                    + (family == ModelFamily.GPT_OSS ? heads : 0);
            if (bias > 0) {
                out.add(new Tensor(Tensor.Role.VECTOR, i, 1, bias, 1));
            }
        }

        private void mlp(List<Tensor> out, int i, boolean experts) {
            if (experts) {
                int e = moe.experts();
                int ei = moe.expertIntermediate();
                out.add(new Tensor(Tensor.Role.ROUTER, i, e, h, 1));
                out.add(new Tensor(Tensor.Role.FFN_GATE_EXPS, i, ei, h, e));
                out.add(new Tensor(Tensor.Role.FFN_UP_EXPS, i, ei, h, e));
                out.add(new Tensor(Tensor.Role.FFN_DOWN_EXPS, i, h, ei, e));
                if (family == ModelFamily.GPT_OSS) {
                    out.add(new Tensor(Tensor.Role.VECTOR, i, 1, (long) e * (2L * ei + h) + e, 1));
                }
                int si = moe.sharedIntermediate();
                if (si > 0) {
                    out.add(new Tensor(Tensor.Role.FFN_GATE_SHEXP, i, si, h, 1));
                    out.add(new Tensor(Tensor.Role.FFN_UP_SHEXP, i, si, h, 1));
                    out.add(new Tensor(Tensor.Role.FFN_DOWN_SHEXP, i, h, si, 1));
                }
                return;
            }
            if (gated) {
                out.add(new Tensor(Tensor.Role.FFN_GATE, i, inter, h, 1));
            }
            out.add(new Tensor(Tensor.Role.FFN_UP, i, inter, h, 1));
            out.add(new Tensor(Tensor.Role.FFN_DOWN, i, h, inter, 1));
            if (family.mlpBias()) {
                out.add(new Tensor(Tensor.Role.VECTOR, i, 1, (long) inter + h, 1));
            }
        }
    }
}
