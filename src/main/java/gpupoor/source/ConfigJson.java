package gpupoor.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Hugging Face {@code config.json} split into the text model's config, the vision tower's and the
 * quantization. Multimodal configs nest the text model under {@code text_config} (Gemma 3, LLaVA,
 * Mistral 3, Llama 4), {@code llm_config} (InternVL) or {@code language_config} (DeepSeek-VL2).
 */
public final class ConfigJson {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The keys under which multimodal configs nest the text model, in the order they are looked for. */
    static final List<String> TEXT_KEYS = List.of("text_config", "llm_config", "language_config");
    /** Top-level keys a nested text config takes from the outer config when it lacks them. */
    private static final List<String> INHERITED = List.of("tie_word_embeddings", "torch_dtype", "dtype");
    /** The keys the calculator needs, each with the names it goes by. */
    private static final List<List<String>> REQUIRED = List.of(
            List.of("hidden_size", "d_model", "n_embd"),
            List.of("num_hidden_layers", "num_layers", "n_layer"));
    private static final List<String> HEADS = List.of("num_attention_heads", "num_heads", "n_head");
    /** Keys of state-space models, which may have no attention heads at all. */
    private static final List<String> STATE_SPACE = List.of("state_size", "ssm_state_size", "mamba_d_state", "ssm_cfg");

    /**
     * The parts of a config.json.
     *
     * @param raw          the whole file
     * @param text         the text model's config: the nested one (with the inherited keys) or the whole file
     * @param nestedUnder  the key the text config was nested under, or null
     * @param vision       {@code vision_config}, or null
     * @param quantization the mapped {@code quantization_config} (of the text config, else of the file), or null
     * @param notes        what was derived
     */
    record Parts(ObjectNode raw, ObjectNode text, String nestedUnder, ObjectNode vision, Quantization quantization,
                 List<String> notes) {
    }

    private ConfigJson() {
    }

    /**
     * Parses config.json text; {@code where} names it in messages.
     *
     * @throws InvalidModelSourceException when it is not a JSON object or lacks the keys the calculator needs
     */
    static Parts parse(String text, String where) {
        ObjectNode raw = object(text, where);
        ObjectNode textConfig = raw;
        String nested = null;
        List<String> notes = new ArrayList<>();
        for (String k : TEXT_KEYS) {
            if (raw.get(k) instanceof ObjectNode inner) {
                nested = k;
                textConfig = inner.deepCopy();
                for (String key : INHERITED) {
                    if (!textConfig.has(key) && raw.has(key)) {
                        textConfig.set(key, raw.get(key));
                        notes.add("text model config: " + key + " taken from the outer config");
                    }
                }
                break;
            }
        }
        ObjectNode vision = raw.get("vision_config") instanceof ObjectNode v ? v.deepCopy() : null;
        Quantization q = QuantizationConfigs.of(textConfig.has("quantization_config")
                ? textConfig.get("quantization_config") : raw.get("quantization_config"));
        requireKeys(textConfig, nested, where);
        return new Parts(raw, textConfig, nested, vision, q, notes);
    }

    /**
     * Parses a JSON object; {@code where} names it in messages, which say what the text holds instead
     * (a list, a number …), where a syntax error is, or that it nests deeper than Jackson's 1,000 levels.
     *
     * @throws InvalidModelSourceException when the text is not one JSON object
     */
    public static ObjectNode object(String text, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            throw new InvalidModelSourceException("'" + where + "' is not a config.json: " + (m.contains("nesting depth")
                    ? "it nests objects or lists more than 1,000 levels deep" : "it holds a number, name or text longer "
                    + "than any config has"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidModelSourceException("'" + where + "' is not a JSON object: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelSourceException("'" + where + "' is not a JSON object: it holds "
                    + (root == null || root.isMissingNode() ? "nothing" : root.isArray() ? "a list" : root.isNull() ? "null"
                    : root.isTextual() ? "a string" : root.isNumber() ? "a number" : "a " + root.getNodeType()
                    .name().toLowerCase(Locale.ROOT)) + "; a config.json is one object {\"hidden_size\": …}");
        }
        return (ObjectNode) root;
    }

    private static void requireKeys(ObjectNode config, String nested, String where) {
        List<String> missing = new ArrayList<>();
        for (List<String> names : REQUIRED) {
            require(config, names, missing);
        }
        if (STATE_SPACE.stream().noneMatch(config::has)) {
            require(config, HEADS, missing);
        }
        if (missing.isEmpty()) {
            return;
        }
        String lacks = String.join("; ", missing);
        if (nested != null) {
            throw new InvalidModelSourceException(where + " nests its text model under " + nested + ", and " + nested
                    + " lacks " + lacks + " (transformers fills in a default for a key the file leaves out; "
                    + "write the value into " + nested + ")");
        }
        String hint = "";
        if (config.has("vision_config") || config.has("audio_config")) {
            hint = " (it has a vision or audio config but no " + String.join(", ", TEXT_KEYS) + " with the text model)";
        }
        throw new InvalidModelSourceException(where + " lacks the keys the calculator needs: " + lacks + hint);
    }

    private static void require(ObjectNode config, List<String> names, List<String> missing) {
        for (String k : names) {
            JsonNode v = config.get(k);
            if (v != null && !v.isNull()) {
                return; // present: its value is checked, in the words of its range, when the model is made

            }
        }
        missing.add("one of " + String.join(", ", names));
    }
}
