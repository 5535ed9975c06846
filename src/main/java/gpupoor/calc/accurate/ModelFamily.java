package gpupoor.calc.accurate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The architecture family of a model, from {@code model_type} (or, for configs without it, the
 * first entry of {@code architectures}). A family fixes what a config does not say: whether the
 * MLP is gated (SwiGLU/GeGLU: three matrices) or plain (two), whether linear layers carry biases,
 * the norm type, learned position embeddings, and whether input and output embeddings are tied by
 * default.
 */
enum ModelFamily {
    /**
     * Llama, Mistral, Mixtral, Qwen3, OLMo 2, Phi-3, DeepSeek and other SwiGLU decoders without
     * biases; also the hybrids built on that block (Jamba, Falcon-H1, Qwen3-Next, Llama 4).
     */
    LLAMA(true, false, false, false, false),
    /** Qwen2/Qwen2.5: SwiGLU with biases on q, k and v. */
    QWEN2(true, true, false, false, false),
    /** Gemma 1/2/3: GeGLU, head_dim 256, tied embeddings. */
    GEMMA(true, false, false, false, true),
    /** gpt-oss: SwiGLU experts with biases, attention biases, alternating sliding layers. */
    GPT_OSS(true, true, true, false, false),
    /** GPT-2 and GPTBigCode: plain GELU MLP, biases, LayerNorm, learned positions, tied embeddings. */
    GPT2(false, true, true, true, true),
    /** GPT-NeoX / Pythia: plain MLP with biases, LayerNorm, untied embeddings. */
    GPT_NEOX(false, true, true, true, false),
    /** BLOOM: plain MLP (4h) with biases, LayerNorm (also after the embedding), ALiBi, tied embeddings. */
    BLOOM(false, true, true, true, true),
    /** Falcon: plain MLP (4h) without biases, multi-query or grouped KV, tied embeddings. */
    FALCON(false, false, false, true, true),
    /** OPT: plain MLP (ffn_dim) with biases, learned positions, tied embeddings. */
    OPT(false, true, true, true, true),
    /** Phi-1/Phi-2: plain MLP with biases, LayerNorm, untied output with a bias. */
    PHI(false, true, true, true, false),
    /** T5-style encoder-decoder (feed-forward gated when {@code feed_forward_proj} says so), relative positions. */
    T5(false, false, false, false, true),
    /** Mamba, Mamba-2 and FalconMamba: state-space blocks only (no attention, no MLP), RMSNorm, tied embeddings. */
    MAMBA(false, false, false, false, true);

    private final boolean gatedMlp;
    private final boolean attentionBias;
    private final boolean mlpBias;
    private final boolean layerNorm;
    private final boolean tiedByDefault;

    ModelFamily(boolean gatedMlp, boolean attentionBias, boolean mlpBias, boolean layerNorm, boolean tiedByDefault) {
        this.gatedMlp = gatedMlp;
        this.attentionBias = attentionBias;
        this.mlpBias = mlpBias;
        this.layerNorm = layerNorm;
        this.tiedByDefault = tiedByDefault;
    }

    /** Whether the MLP has gate, up and down matrices (else up and down). */
    public boolean gatedMlp() {
        return gatedMlp;
    }

    /** Whether the attention projections carry biases (Qwen2: q, k and v only; see {@link #outputProjectionBias()}). */
    public boolean attentionBias() {
        return attentionBias;
    }

    /** Whether the attention output projection carries a bias. */
    public boolean outputProjectionBias() {
        return attentionBias && this != QWEN2;
    }

    /** Whether the MLP matrices carry biases. */
    public boolean mlpBias() {
        return mlpBias;
    }

    /** Whether norms are LayerNorm (weight and bias) rather than RMSNorm (weight only). */
    public boolean layerNorm() {
        return layerNorm;
    }

    /** Whether {@code tie_word_embeddings} defaults to true when a config omits it. */
    public boolean tiedByDefault() {
        return tiedByDefault;
    }

    /**
     * The family of a config: by {@code model_type} (transformers' names, or llama.cpp's
     * architecture names for a GGUF file: {@code gpt-oss}, {@code phi2}, {@code starcoder} …), else
     * by the first {@code architectures} entry; configs that say neither are treated as Llama-like.
     */
    public static ModelFamily of(Map<String, Object> config) {
        Object type = config.get("model_type");
        if (type instanceof String s && !s.isBlank()) {
            return byName(s.toLowerCase(Locale.ROOT));
        }
        Object arch = config.get("architectures");
        if (arch instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String a) {
            return byName(a.toLowerCase(Locale.ROOT));
        }
        return LLAMA;
    }

    private static ModelFamily byName(String n) {
        if (n.startsWith("qwen2") && !n.contains("moe")) {
            return QWEN2;
        }
        if (n.startsWith("gemma")) {
            return GEMMA;
        }
        if (n.startsWith("gpt_oss") || n.startsWith("gptoss") || n.startsWith("gpt-oss")) {
            return GPT_OSS;
        }
        if (n.startsWith("gpt2") || n.startsWith("gpt_bigcode") || n.startsWith("gptbigcode") || n.startsWith("backpackgpt2")
                || n.equals("starcoder")) {
            return GPT2;
        }
        if (n.startsWith("gpt_neox") || n.startsWith("gptneox")) {
            return GPT_NEOX;
        }
        if (n.startsWith("bloom")) {
            return BLOOM;
        }
        if (n.startsWith("mamba") || n.startsWith("falcon_mamba") || n.startsWith("falconmamba")) {
            return MAMBA;
        }
        if (n.startsWith("falcon_h1") || n.startsWith("falcon-h1") || n.startsWith("falconh1")) {
            return LLAMA;
        }
        if (n.startsWith("falcon") || n.startsWith("rw")) {
            return FALCON;
        }
        if (n.startsWith("opt")) {
            return OPT;
        }
        if (n.equals("phi") || n.equals("phi2") || n.startsWith("phiforcausallm") || n.startsWith("mixformer")) {
            return PHI;
        }
        if (n.startsWith("t5") || n.startsWith("mt5") || n.startsWith("umt5") || n.startsWith("enct5")) {
            return T5;
        }
        return LLAMA;
    }
}
