package gpupoor.calc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks every model config passes when its {@link ModelSpec} is made, whatever it came from
 * (the catalog, the original's table, a config.json file, a GGUF file's metadata): each numeric key
 * either method reads is an integer in its range (null counts as absent, as in the original), and
 * the keys agree with each other (the KV heads divide the attention heads, the attention width is
 * plausible against the hidden size, a mixture of experts has at least as many experts as it routes
 * each token to). Which keys a method needs is the method's business; these checks only refuse
 * values that no model has. {@code README.md} ("Accepted values") states the ranges.
 */
final class ModelConfig {
    private ModelConfig() {
    }

    /** The largest hidden size: 1,048,576. */
    static final long MAX_WIDTH = 1 << 20;
    /** The largest vocabulary or MLP width: 16,777,216. */
    static final long MAX_WIDE = 1 << 24;
    /** The most heads or experts: 65,536. */
    static final long MAX_COUNT = 1 << 16;
    /** The longest trained context or sliding window: 2^31 - 1 tokens. */
    static final long MAX_POSITIONS = Integer.MAX_VALUE;
    /** How far the attention width (heads × head_dim) may stray from the hidden size: a factor of 16 (T5-11B's is 16). */
    static final int WIDTH_RATIO = 16;

    /** Each numeric key the methods read, with its range. */
    private static final Map<String, Limits.Range> RANGES = new LinkedHashMap<>();

    static {
        for (String k : List.of("hidden_size", "d_model", "n_embd", "n_embed")) {
            RANGES.put(k, new Limits.Range(1, MAX_WIDTH));
        }
        for (String k : List.of("num_hidden_layers", "num_layers", "n_layer", "num_decoder_layers")) {
            RANGES.put(k, new Limits.Range(1, Limits.MAX_LAYERS));
        }
        for (String k : List.of("num_attention_heads", "num_heads", "n_head", "num_key_value_heads", "num_kv_heads",
                "head_dim", "d_kv", "v_head_dim")) {
            RANGES.put(k, new Limits.Range(1, MAX_COUNT));
        }
        for (String k : List.of("vocab_size", "padded_vocab_size", "intermediate_size", "n_inner", "ffn_dim",
                "ffn_hidden_size", "d_ff", "kv_lora_rank")) {
            RANGES.put(k, new Limits.Range(1, MAX_WIDE));
        }
        for (String k : List.of("moe_intermediate_size", "shared_expert_intermediate_size", "q_lora_rank")) {
            RANGES.put(k, new Limits.Range(0, MAX_WIDE));
        }
        for (String k : List.of("n_routed_experts", "num_local_experts", "num_experts", "num_experts_per_tok",
                "num_experts_per_token", "experts_per_token", "n_shared_experts", "qk_rope_head_dim",
                "qk_nope_head_dim")) {
            RANGES.put(k, new Limits.Range(0, MAX_COUNT));
        }
        for (String k : List.of("first_k_dense_replace", "sliding_window_pattern")) {
            RANGES.put(k, new Limits.Range(0, Limits.MAX_LAYERS));
        }
        for (String k : List.of("moe_layer_freq", "decoder_sparse_step")) {
            RANGES.put(k, new Limits.Range(1, Limits.MAX_LAYERS));
        }
        for (String k : List.of("sliding_window", "max_position_embeddings", "n_positions")) {
            RANGES.put(k, new Limits.Range(0, MAX_POSITIONS));
        }
    }

    /**
     * Checks a model's config keys.
     *
     * @param id     the model as the user named it (for the message)
     * @param config its config keys
     * @throws InvalidScenarioException naming the model, the key, the value and what is accepted
     */
    static void check(String id, Map<String, Object> config) {
        Map<String, Long> n = new LinkedHashMap<>();
        for (Map.Entry<String, Limits.Range> e : RANGES.entrySet()) {
            String key = e.getKey();
            Object v = config.get(key);
            if (v == null) {
                continue;
            }
            Limits.Range r = e.getValue();
            if (!(v instanceof Number num) || !integral(num) || !r.contains(num.longValue())) {
                throw refuse(id, key + " " + text(v) + " must be " + r.words());
            }
            n.put(key, num.longValue());
        }
        Long hidden = first(n, "hidden_size", "d_model", "n_embd", "n_embed");
        Long heads = first(n, "num_attention_heads", "num_heads", "n_head");
        Long headDim = first(n, "head_dim", "d_kv");
        for (String key : List.of("num_key_value_heads", "num_kv_heads")) {
            Long kv = n.get(key);
            if (kv != null && heads != null && heads % kv != 0) {
                throw refuse(id, key + " " + kv + " must divide " + headsKey(n) + " " + heads
                        + " (each KV head serves the same number of query heads): one of " + divisors(heads));
            }
        }
        if (hidden != null && heads != null) {
            if (headDim == null && heads > hidden) {
                throw refuse(id, headsKey(n) + " " + heads + " exceeds " + hiddenKey(n) + " " + hidden
                        + " and no head_dim is given (head_dim = hidden size / heads would be 0)");
            }
            if (headDim != null) {
                long width = heads * headDim;
                if (width > WIDTH_RATIO * hidden || WIDTH_RATIO * width < hidden) {
                    throw refuse(id, headsKey(n) + " " + heads + " x head_dim " + headDim + " = " + width
                            + " is implausible for " + hiddenKey(n) + " " + hidden + ": the attention width must lie "
                            + "between hidden size / " + WIDTH_RATIO + " and " + WIDTH_RATIO + " x hidden size");
                }
            }
        }
        Long experts = first(n, "n_routed_experts", "num_local_experts", "num_experts");
        Long perToken = first(n, "num_experts_per_tok", "num_experts_per_token", "experts_per_token");
        if (experts != null && experts > 1 && perToken != null && (perToken < 1 || perToken > experts)) {
            throw refuse(id, "experts per token " + perToken + " must be from 1 to the number of experts " + experts);
        }
        Long layers = first(n, "num_hidden_layers", "num_layers", "n_layer");
        Long dense = n.get("first_k_dense_replace");
        if (layers != null && dense != null && dense > layers) {
            throw refuse(id, "first_k_dense_replace " + dense + " exceeds the " + layers + " layers");
        }
    }

    private static boolean integral(Number v) {
        double d = v.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e18;
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return v instanceof Map<?, ?> ? "(an object)" : "(a list)";
        }
        if (v instanceof Double d) {
            return NumberText.plainOrText(d);
        }
        return String.valueOf(v);
    }

    private static Long first(Map<String, Long> n, String... keys) {
        for (String k : keys) {
            if (n.containsKey(k)) {
                return n.get(k);
            }
        }
        return null;
    }

    private static String headsKey(Map<String, Long> n) {
        return n.containsKey("num_attention_heads") ? "num_attention_heads" : n.containsKey("num_heads") ? "num_heads" : "n_head";
    }

    private static String hiddenKey(Map<String, Long> n) {
        for (String k : List.of("hidden_size", "d_model", "n_embd")) {
            if (n.containsKey(k)) {
                return k;
            }
        }
        return "n_embed";
    }

    private static String divisors(long heads) {
        List<String> out = new java.util.ArrayList<>();
        for (long d = 1; d <= heads; d++) {
            if (heads % d == 0) {
                out.add(Long.toString(d));
            }
        }
        return out.size() <= 8 ? String.join(", ", out)
                : String.join(", ", out.subList(0, 6)) + ", …, " + out.get(out.size() - 1);
    }

    private static InvalidScenarioException refuse(String id, String what) {
        return new InvalidScenarioException(Input.MODEL.ref(id) + ": " + what);
    }
}
