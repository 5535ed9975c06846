package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;

import java.util.List;

/**
 * The token mixer of the blocks that are not attention: a state-space layer (Mamba, Mamba-2) or a
 * linear-attention layer (Gated DeltaNet). Instead of a KV cache that grows with the context, each
 * such block keeps a fixed state per sequence: the last {@code conv_kernel - 1} inputs of its
 * causal convolution and its recurrent (SSM) state, as vLLM and llama.cpp hold them. Shapes come
 * from the Hugging Face config keys or, for a GGUF file, llama.cpp's {@code ssm.*} keys
 * ({@code ssm_inner_size}, {@code ssm_state_size}, {@code ssm_conv_kernel}, {@code ssm_group_count},
 * {@code ssm_time_step_rank}).
 */
sealed interface RecurrentMixer {

    /** The mixer in words, e.g. {@code Mamba (d_inner 8192, d_state 16)}. */
    String describe();

    /** Elements of the convolution state per block and sequence. */
    long convElements();

    /** Elements of the recurrent (SSM) state per block and sequence. */
    long stateElements();

    /** Adds the weights of block {@code layer} (model width {@code h}). */
    void tensors(List<Tensor> out, int layer, int h);

    /**
     * The recurrent mixer a config describes, or null when it has none: Gated DeltaNet
     * ({@code linear_*} keys, or a Qwen3-Next GGUF), Mamba-2 (Falcon-H1's {@code mamba_d_ssm},
     * {@code mamba_n_heads}; Mamba2's {@code num_heads}, {@code n_groups}; a GGUF with
     * {@code ssm_group_count}) or Mamba (Jamba's {@code mamba_*}, Mamba's {@code state_size},
     * {@code expand}; a GGUF with {@code ssm_inner_size}).
     */
    static RecurrentMixer of(ModelSpec m, String type, int h) {
        if (m.has("linear_num_value_heads") || type.startsWith("qwen3next") || type.startsWith("qwen3_next")) {
            return DeltaNet.of(m);
        }
        if (type.startsWith("falcon_h1") || type.startsWith("falcon-h1") || type.startsWith("mamba2")
                || m.has("mamba_d_ssm", "mamba_n_heads", "ssm_group_count")) {
            return Mamba2.of(m, type, h);
        }
        if (type.startsWith("jamba") || type.startsWith("mamba") || type.startsWith("falcon_mamba")
                || m.has("mamba_d_state", "ssm_inner_size")) {
            return Mamba.of(m, type, h);
        }
        return null;
    }

    private static int positive(ModelSpec m, String what, double fallback, String... keys) {
        double v = m.number(fallback, keys);
        if (!(v > 0)) {
            throw new gpupoor.calc.InvalidScenarioException("model '" + m.id() + "' has " + what
                    + " layers but no " + String.join(" or ", keys) + " in its config");
        }
        return (int) v;
    }

    /**
     * Mamba (selective SSM), as in Jamba and Mamba/FalconMamba: {@code in_proj} to {@code 2·d_inner},
     * a depthwise convolution, {@code x_proj} to {@code dt_rank + 2·d_state}, {@code dt_proj},
     * {@code A_log} ({@code d_inner × d_state}), {@code D}, {@code out_proj}; Jamba adds RMSNorms on
     * dt, B and C. State: {@code d_inner × (d_conv - 1)} + {@code d_inner × d_state}.
     */
    record Mamba(long dInner, int dState, int dConv, int dtRank, boolean convBias, boolean projBias,
                 boolean innerNorms) implements RecurrentMixer {

        static Mamba of(ModelSpec m, String type, int h) {
            double expand = m.number(2, "mamba_expand", "expand");
            long inner = (long) m.number(expand * h, "ssm_inner_size", "mamba_d_inner");
            if (!m.has("ssm_inner_size", "mamba_d_inner") && !type.startsWith("jamba") && m.has("intermediate_size")) {
                inner = (long) m.number(inner, "intermediate_size");
            }
            int state = positive(m, "Mamba", 16, "mamba_d_state", "state_size", "ssm_state_size");
            int conv = positive(m, "Mamba", 4, "mamba_d_conv", "conv_kernel", "ssm_conv_kernel");
            int dtRank = (int) m.number(Math.ceil(h / 16.0), "mamba_dt_rank", "time_step_rank", "ssm_time_step_rank");
            boolean convBias = !Boolean.FALSE.equals(first(m, "mamba_conv_bias", "use_conv_bias"));
            boolean projBias = Boolean.TRUE.equals(first(m, "mamba_proj_bias", "use_bias"));
            return new Mamba(inner, state, conv, dtRank, convBias, projBias, type.startsWith("jamba"));
        }

        @Override
        public String describe() {
            return "Mamba (d_inner " + dInner + ", d_state " + dState + ", conv " + dConv + ")";
        }

        @Override
        public long convElements() {
            return dInner * (dConv - 1);
        }

        @Override
        public long stateElements() {
            return dInner * dState;
        }

        @Override
        public void tensors(List<Tensor> out, int layer, int h) {
            out.add(new Tensor(Tensor.Role.SSM_IN, layer, 2 * dInner, h, 1));
            out.add(new Tensor(Tensor.Role.SSM_X, layer, dtRank + 2L * dState, dInner, 1));
            out.add(new Tensor(Tensor.Role.SSM_X, layer, dInner, dtRank, 1));
            out.add(new Tensor(Tensor.Role.SSM_OUT, layer, h, dInner, 1));
            long vectors = dInner * dConv + (convBias ? dInner : 0) + dInner /* dt bias */ + dInner * dState /* A_log */
                    + dInner /* D */ + (projBias ? 2 * dInner + h : 0) + (innerNorms ? dtRank + 2L * dState : 0);
            out.add(new Tensor(Tensor.Role.VECTOR, layer, 1, vectors, 1));
        }
    }

    /**
     * Mamba-2 (state-space duality), as in Falcon-H1 and Mamba2: {@code in_proj} to
     * {@code d_inner} (gate) + {@code conv_dim} (x, B, C) + {@code heads} (dt), a depthwise
     * convolution over {@code conv_dim = d_inner + 2·groups·d_state}, per-head {@code dt_bias},
     * {@code A_log} and {@code D}, a gated RMSNorm, {@code out_proj}. State:
     * {@code conv_dim × (d_conv - 1)} + {@code heads × head_dim × d_state} ({@code = d_inner × d_state}).
     */
    record Mamba2(long dInner, int dState, int dConv, int groups, int heads, boolean convBias, boolean projBias,
                  boolean norm) implements RecurrentMixer {

        static Mamba2 of(ModelSpec m, String type, int h) {
            double expand = m.number(2, "mamba_expand", "expand");
            long inner = (long) m.number(expand * h, "mamba_d_ssm", "ssm_inner_size");
            if (!(inner > 0)) {
                inner = (long) (expand * h);
            }
            int state = positive(m, "Mamba-2", 128, "mamba_d_state", "state_size", "ssm_state_size");
            int conv = positive(m, "Mamba-2", 4, "mamba_d_conv", "conv_kernel", "ssm_conv_kernel");
            int groups = (int) Math.max(1, m.number(1, "mamba_n_groups", "n_groups", "ssm_group_count"));
            int heads;
            if (m.has("mamba_n_heads", "ssm_time_step_rank") || type.startsWith("falcon")) {
                heads = positive(m, "Mamba-2", 0, "mamba_n_heads", "ssm_time_step_rank");
            } else {
                heads = (int) m.number(inner / m.number(64, "head_dim"), "num_heads");
            }
            boolean convBias = !Boolean.FALSE.equals(first(m, "mamba_conv_bias", "use_conv_bias"));
            boolean projBias = Boolean.TRUE.equals(first(m, "mamba_proj_bias", "use_bias"));
            boolean norm = !type.startsWith("falcon") || Boolean.TRUE.equals(m.config().get("mamba_rms_norm"));
            return new Mamba2(inner, state, conv, groups, Math.max(1, heads), convBias, projBias, norm);
        }

        private long convDim() {
            return dInner + 2L * groups * dState;
        }

        @Override
        public String describe() {
            return "Mamba-2 (d_inner " + dInner + ", " + heads + " heads, d_state " + dState + ", conv " + dConv + ")";
        }

        @Override
        public long convElements() {
            return convDim() * (dConv - 1);
        }

        @Override
        public long stateElements() {
            return dInner * dState;
        }

        @Override
        public void tensors(List<Tensor> out, int layer, int h) {
            long projection = dInner + convDim() + heads;
            out.add(new Tensor(Tensor.Role.SSM_IN, layer, projection, h, 1));
            out.add(new Tensor(Tensor.Role.SSM_OUT, layer, h, dInner, 1));
            long vectors = convDim() * dConv + (convBias ? convDim() : 0) + 3L * heads + (norm ? dInner : 0)
                    + (projBias ? projection + h : 0);
            out.add(new Tensor(Tensor.Role.VECTOR, layer, 1, vectors, 1));
        }
    }

    /**
     * Gated DeltaNet linear attention, as in Qwen3-Next: {@code in_proj_qkvz} to
     * {@code 2·key_dim + 2·value_dim}, {@code in_proj_ba} to {@code 2·v_heads}, a depthwise
     * convolution over {@code conv_dim = 2·key_dim + value_dim}, per-head {@code dt_bias} and
     * {@code A_log}, a gated RMSNorm over the value head, {@code out_proj}. State:
     * {@code conv_dim × (kernel - 1)} + {@code v_heads × k_head_dim × v_head_dim}.
     */
    record DeltaNet(int keyHeads, int valueHeads, int keyDim, int valueDim, int dConv) implements RecurrentMixer {

        static DeltaNet of(ModelSpec m) {
            int kHeads = positive(m, "Gated DeltaNet", 0, "linear_num_key_heads", "ssm_group_count");
            int vHeads = positive(m, "Gated DeltaNet", 0, "linear_num_value_heads", "ssm_time_step_rank");
            int kDim = positive(m, "Gated DeltaNet", 0, "linear_key_head_dim", "ssm_state_size");
            int vDim = m.has("linear_value_head_dim") ? (int) m.number(0, "linear_value_head_dim")
                    : (int) (m.number(0, "ssm_inner_size") / vHeads);
            if (vDim <= 0) {
                throw new gpupoor.calc.InvalidScenarioException("model '" + m.id() + "' has Gated DeltaNet layers but no "
                        + "linear_value_head_dim (or ssm_inner_size) in its config");
            }
            int conv = positive(m, "Gated DeltaNet", 4, "linear_conv_kernel_dim", "ssm_conv_kernel");
            return new DeltaNet(kHeads, vHeads, kDim, vDim, conv);
        }

        private long keyWidth() {
            return (long) keyHeads * keyDim;
        }

        private long valueWidth() {
            return (long) valueHeads * valueDim;
        }

        private long convDim() {
            return 2 * keyWidth() + valueWidth();
        }

        @Override
        public String describe() {
            return "Gated DeltaNet (" + keyHeads + " key / " + valueHeads + " value heads of " + keyDim + "/" + valueDim
                    + ", conv " + dConv + ")";
        }

        @Override
        public long convElements() {
            return convDim() * (dConv - 1);
        }

        @Override
        public long stateElements() {
            return (long) valueHeads * keyDim * valueDim;
        }

        @Override
        public void tensors(List<Tensor> out, int layer, int h) {
            out.add(new Tensor(Tensor.Role.SSM_IN, layer, 2 * keyWidth() + 2 * valueWidth(), h, 1));
            out.add(new Tensor(Tensor.Role.SSM_X, layer, 2L * valueHeads, h, 1));
            out.add(new Tensor(Tensor.Role.SSM_OUT, layer, h, valueWidth(), 1));
            long vectors = convDim() * dConv + 2L * valueHeads + valueDim;
            out.add(new Tensor(Tensor.Role.VECTOR, layer, 1, vectors, 1));
        }
    }

    private static Object first(ModelSpec m, String... keys) {
        for (String k : keys) {
            if (m.config().get(k) != null) {
                return m.config().get(k);
            }
        }
        return null;
    }
}
