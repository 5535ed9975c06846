package gpupoor.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The architecture metadata of a GGUF file as a config.json-style object, so that one parser
 * reads both: {@code {arch}.block_count} becomes {@code num_hidden_layers},
 * {@code {arch}.attention.head_count_kv} {@code num_key_value_heads}, and so on (see {@link #KEYS}).
 *
 * <p>Exact (copied under the config.json name): every key of {@link #KEYS} present in the file.
 * Derived: {@code model_type} (the GGUF architecture name, which is llama.cpp's, not transformers'),
 * {@code vocab_size} when the file has no {@code {arch}.vocab_size} (the tokenizer's token count),
 * {@code tie_word_embeddings} (true when there is no {@code output.weight} tensor: llama.cpp then
 * reuses the token embeddings), per-layer arrays reduced to their largest value (the array itself
 * kept under {@code *_per_layer}), {@code layer_types} (from the sliding-window pattern, the full-
 * attention interval and layers without KV heads), the MLA head sizes, and {@code rope_scaling}.
 */
final class GgufConfig {
    /** GGUF key (after {@code {arch}.}) → config.json key. */
    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("block_count", "num_hidden_layers"),
            Map.entry("embedding_length", "hidden_size"),
            Map.entry("feed_forward_length", "intermediate_size"),
            Map.entry("context_length", "max_position_embeddings"),
            Map.entry("vocab_size", "vocab_size"),
            Map.entry("attention.head_count", "num_attention_heads"),
            Map.entry("attention.head_count_kv", "num_key_value_heads"),
            Map.entry("attention.key_length", "head_dim"),
            Map.entry("attention.value_length", "v_head_dim"),
            Map.entry("attention.sliding_window", "sliding_window"),
            Map.entry("attention.layer_norm_rms_epsilon", "rms_norm_eps"),
            Map.entry("attention.layer_norm_epsilon", "layer_norm_eps"),
            Map.entry("attention.q_lora_rank", "q_lora_rank"),
            Map.entry("attention.kv_lora_rank", "kv_lora_rank"),
            Map.entry("expert_count", "num_local_experts"),
            Map.entry("expert_used_count", "num_experts_per_tok"),
            Map.entry("expert_feed_forward_length", "moe_intermediate_size"),
            Map.entry("expert_shared_count", "n_shared_experts"),
            Map.entry("expert_shared_feed_forward_length", "shared_expert_intermediate_size"),
            Map.entry("leading_dense_block_count", "first_k_dense_replace"),
            Map.entry("moe_every_n_layers", "moe_layer_freq"),
            Map.entry("interleave_moe_layer_step", "interleave_moe_layer_step"),
            Map.entry("full_attention_interval", "full_attention_interval"),
            Map.entry("rope.freq_base", "rope_theta"),
            Map.entry("attn_logit_softcapping", "attn_logit_softcapping"),
            Map.entry("final_logit_softcapping", "final_logit_softcapping"),
            Map.entry("ssm.conv_kernel", "ssm_conv_kernel"),
            Map.entry("ssm.inner_size", "ssm_inner_size"),
            Map.entry("ssm.state_size", "ssm_state_size"),
            Map.entry("ssm.group_count", "ssm_group_count"),
            Map.entry("ssm.time_step_rank", "ssm_time_step_rank"),
            Map.entry("wkv.head_size", "wkv_head_size"));

    /**
     * llama.cpp's sliding-window period for architectures whose files may give a window but no
     * pattern (the {@code set_swa_pattern} defaults of its model loader): layer {@code i} slides
     * when {@code i % period < period - 1}.
     */
    static final Map<String, Integer> SWA_PERIOD = Map.of("gemma2", 2, "gemma3", 6, "cohere2", 4, "gpt-oss", 2);

    private GgufConfig() {
    }

    /**
     * The config of the model described by {@code f} (the first part of a split model).
     *
     * @throws InvalidModelSourceException when the file has no architecture, or it is not a language model's
     */
    static ObjectNode of(GgufFile f, List<TensorInfo> tensors, List<String> notes) {
        String arch = f.architecture();
        if (arch == null) {
            throw new InvalidModelSourceException(f.location() + " has no general.architecture: it is not a model GGUF file");
        }
        if (f.get(arch + ".block_count") == null || f.get(arch + ".embedding_length") == null) {
            throw new InvalidModelSourceException(f.location() + " (architecture '" + arch + "') lacks " + arch
                    + ".block_count or " + arch + ".embedding_length" + (arch.equals("clip")
                    ? ": it is a multimodal projector (mmproj) file; pass the language model's GGUF" : ""));
        }
        ObjectNode c = ConfigJson.JSON.createObjectNode();
        c.put("model_type", arch);
        String prefix = arch + ".";
        for (Map.Entry<String, GgufKv> e : f.metadata().entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String key = KEYS.get(e.getKey().substring(prefix.length()));
            if (key != null) {
                put(c, key, e.getValue());
            }
        }
        int layers = c.path("num_hidden_layers").asInt();
        if (!c.has("vocab_size") && f.get("tokenizer.ggml.tokens") != null && f.get("tokenizer.ggml.tokens").asList() != null) {
            c.put("vocab_size", f.get("tokenizer.ggml.tokens").asList().size());
        }
        c.put("tie_word_embeddings", tensors.stream().noneMatch(t -> t.name().equals("output.weight")));
        mla(f, prefix, c);
        rope(f, prefix, c);
        layerTypes(f, prefix, arch, layers, c, notes);
        return c;
    }

    /** A value under its config.json name; a per-layer array is reduced to its largest element and kept as {@code key_per_layer}. */
    private static void put(ObjectNode c, String key, GgufKv kv) {
        if (kv.type() == GgufValueType.ARRAY) {
            List<?> list = kv.asList();
            ArrayNode arr = c.putArray(key + "_per_layer");
            double max = 0;
            for (Object o : list) {
                if (o instanceof Number n) {
                    arr.add(n.longValue());
                    max = Math.max(max, n.doubleValue());
                }
            }
            c.put(key, (long) max);
            return;
        }
        Object v = kv.value();
        if (v instanceof Long l) {
            c.put(key, l);
        } else if (v instanceof Double d) {
            c.put(key, d);
        } else if (v instanceof Boolean b) {
            c.put(key, b);
        } else {
            c.put(key, String.valueOf(v));
        }
    }

    /** DeepSeek-style multi-head latent attention: the head sizes under transformers' names. */
    private static void mla(GgufFile f, String prefix, ObjectNode c) {
        if (!c.has("kv_lora_rank")) {
            return;
        }
        GgufKv rope = f.get(prefix + "rope.dimension_count");
        GgufKv keyMla = f.get(prefix + "attention.key_length_mla");
        GgufKv valueMla = f.get(prefix + "attention.value_length_mla");
        long ropeDim = rope == null || rope.asLong() == null ? 0 : rope.asLong();
        long key = keyMla != null && keyMla.asLong() != null ? keyMla.asLong() : c.path("head_dim").asLong();
        long value = valueMla != null && valueMla.asLong() != null ? valueMla.asLong() : c.path("v_head_dim").asLong();
        c.remove("head_dim");
        c.put("qk_rope_head_dim", ropeDim);
        c.put("qk_nope_head_dim", key - ropeDim);
        c.put("v_head_dim", value);
    }

    private static void rope(GgufFile f, String prefix, ObjectNode c) {
        GgufKv dims = f.get(prefix + "rope.dimension_count");
        long headDim = c.path("head_dim").asLong(c.path("hidden_size").asLong() / Math.max(1, c.path("num_attention_heads").asLong(1)));
        if (dims != null && dims.asLong() != null && !c.has("kv_lora_rank") && headDim > 0 && dims.asLong() < headDim) {
            c.put("partial_rotary_factor", dims.asLong() / (double) headDim);
        }
        GgufKv type = f.get(prefix + "rope.scaling.type");
        if (type != null && type.value() instanceof String s && !s.equals("none")) {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("rope_type", s);
            GgufKv factor = f.get(prefix + "rope.scaling.factor");
            if (factor != null && factor.asDouble() != null) {
                r.put("factor", factor.asDouble());
            }
            GgufKv orig = f.get(prefix + "rope.scaling.original_context_length");
            if (orig != null && orig.asLong() != null) {
                r.put("original_max_position_embeddings", orig.asLong());
            }
        }
    }

    /**
     * {@code layer_types}, one per layer: {@code sliding_attention} (the sliding-window pattern),
     * {@code linear_attention} (all but every {@code full_attention_interval}-th layer) or
     * {@code recurrent} (no KV heads: a state-space or convolution layer), else {@code full_attention}.
     */
    private static void layerTypes(GgufFile f, String prefix, String arch, int layers, ObjectNode c, List<String> notes) {
        if (layers <= 0) {
            return;
        }
        String[] types = new String[layers];
        java.util.Arrays.fill(types, "full_attention");
        boolean varied = false;
        if (c.path("sliding_window").asLong() > 0) {
            GgufKv pattern = f.get(prefix + "attention.sliding_window_pattern");
            List<?> flags = pattern == null ? null : pattern.asList();
            Integer period = pattern != null && pattern.asLong() != null ? Integer.valueOf(pattern.asLong().intValue())
                    : SWA_PERIOD.get(arch);
            if (flags != null) {
                for (int i = 0; i < layers && i < flags.size(); i++) {
                    types[i] = Boolean.TRUE.equals(flags.get(i)) ? "sliding_attention" : "full_attention";
                }
            } else if (period != null) {
                c.put("sliding_window_pattern", period);
                for (int i = 0; i < layers; i++) {
                    types[i] = period == 0 || i % period < period - 1 ? "sliding_attention" : "full_attention";
                }
                if (pattern == null) {
                    notes.add("sliding-window pattern: llama.cpp's default for " + arch + " (one full-attention layer in every "
                            + period + "), not stated in the file");
                }
            } else {
                notes.add("the file gives a sliding window but no pattern, and llama.cpp's default for " + arch
                        + " is not known here: no layer is marked as sliding");
            }
            varied = true;
        }
        int interval = c.path("full_attention_interval").asInt();
        if (interval > 0) {
            for (int i = 0; i < layers; i++) {
                if ((i + 1) % interval != 0) {
                    types[i] = "linear_attention";
                }
            }
            varied = true;
        }
        if (c.get("num_key_value_heads_per_layer") instanceof ArrayNode kv) {
            for (int i = 0; i < layers && i < kv.size(); i++) {
                if (kv.get(i).asLong() == 0) {
                    types[i] = "recurrent";
                    varied = true;
                }
            }
        }
        if (varied) {
            ArrayNode arr = c.putArray("layer_types");
            for (String t : types) {
                arr.add(t);
            }
        }
    }
}
