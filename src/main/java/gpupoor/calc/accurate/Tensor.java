package gpupoor.calc.accurate;

/**
 * One weight tensor of a model (or, for MoE, one stacked tensor holding all experts of a layer, as
 * GGUF files store them).
 *
 * @param role    what the tensor does (decides its storage type under each quantization)
 * @param layer   transformer block index, or -1 outside the blocks
 * @param rows    output dimension
 * @param cols    input dimension (GGUF's {@code ne[0]}: the quantization blocks run along it)
 * @param copies  stacked copies: the number of experts for expert tensors, else 1
 */
record Tensor(Role role, int layer, long rows, long cols, int copies) {

    /** What a tensor is, in llama.cpp's naming where one exists. */
    public enum Role {
        /** Input token embedding ({@code token_embd}). */
        TOKEN_EMBD(true),
        /** Learned position embedding (GPT-2, OPT). */
        POS_EMBD(true),
        /** Output projection to the vocabulary ({@code output}, the LM head). */
        OUTPUT(true),
        /** Query projection. */
        ATTN_Q(true),
        /** Key projection. */
        ATTN_K(true),
        /** Value projection. */
        ATTN_V(true),
        /** Fused query-key-value projection (Falcon, BLOOM, GPT-2, GPT-NeoX, Phi-3). */
        ATTN_QKV(true),
        /** Attention output projection. */
        ATTN_OUTPUT(true),
        /** MLA query down-projection ({@code attn_q_a}). */
        ATTN_Q_A(true),
        /** MLA query up-projection ({@code attn_q_b}). */
        ATTN_Q_B(true),
        /** MLA joint KV down-projection with the decoupled RoPE key ({@code attn_kv_a_mqa}). */
        ATTN_KV_A(true),
        /** MLA KV up-projection ({@code attn_kv_b}). */
        ATTN_KV_B(true),
        /** Cross-attention projections of an encoder-decoder (all four together). */
        CROSS_ATTN(true),
        /** Dense MLP gate. */
        FFN_GATE(true),
        /** Dense MLP up-projection. */
        FFN_UP(true),
        /** Dense MLP down-projection. */
        FFN_DOWN(true),
        /** Routed experts' gates, stacked. */
        FFN_GATE_EXPS(true),
        /** Routed experts' up-projections, stacked. */
        FFN_UP_EXPS(true),
        /** Routed experts' down-projections, stacked. */
        FFN_DOWN_EXPS(true),
        /** Shared experts' gate. */
        FFN_GATE_SHEXP(true),
        /** Shared experts' up-projection. */
        FFN_UP_SHEXP(true),
        /** Shared experts' down-projection. */
        FFN_DOWN_SHEXP(true),
        /** MoE router ({@code ffn_gate_inp}). */
        ROUTER(true),
        /** Input projection of a state-space or linear-attention block (Mamba's {@code in_proj}, Gated DeltaNet's {@code in_proj_qkvz}). */
        SSM_IN(true),
        /** Mamba's selective projections ({@code x_proj}, {@code dt_proj}) and Gated DeltaNet's {@code in_proj_ba}. */
        SSM_X(true),
        /** Output projection of a state-space or linear-attention block ({@code out_proj}). */
        SSM_OUT(true),
        /** The vision tower and its projector into the text model (run once per image, not per token). */
        VISION(true),
        /** Norm weights and biases, and other vectors (biases, attention sinks): kept in float. */
        VECTOR(false);

        private final boolean matrix;

        Role(boolean matrix) {
            this.matrix = matrix;
        }

        /** Whether it is a 2-D weight matrix (1-D vectors are never quantized). */
        public boolean matrix() {
            return matrix;
        }

        /** Whether it belongs to the routed experts (only the active ones are read per token). */
        public boolean routedExpert() {
            return this == FFN_GATE_EXPS || this == FFN_UP_EXPS || this == FFN_DOWN_EXPS;
        }

        /** Whether it belongs to a block's attention (Hugging Face's {@code self_attn}), not its MLP. */
        public boolean attention() {
            return name().startsWith("ATTN_") || this == CROSS_ATTN;
        }

        /** Whether it is one of the embeddings or the LM head, which most quantizers keep in 16 bits. */
        public boolean embeddingOrHead() {
            return this == TOKEN_EMBD || this == POS_EMBD || this == OUTPUT;
        }

        /**
         * Whether a generated token multiplies by it: not the embedding look-ups, not the vision
         * tower (it runs once per image).
         */
        public boolean perToken() {
            return this != TOKEN_EMBD && this != POS_EMBD && this != VISION;
        }
    }

    /** A tensor outside the blocks. */
    public static Tensor global(Role role, long rows, long cols) {
        return new Tensor(role, -1, rows, cols, 1);
    }

    /** This tensor in block {@code layer} (blocks of one shape hold the same tensors). */
    public Tensor at(int layer) {
        return layer == this.layer ? this : new Tensor(role, layer, rows, cols, copies);
    }

    /** Number of parameters. */
    public long params() {
        return rows * cols * copies;
    }

    /** Parameters of one copy (one expert). */
    public long paramsPerCopy() {
        return rows * cols;
    }
}
