package gpupoor.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps a Hugging Face {@code quantization_config} to a neutral {@link Quantization}. */
final class QuantizationConfigs {
    private QuantizationConfigs() {
    }

    /** The quantization a config states, or null when {@code qc} is absent or not an object. */
    static Quantization of(JsonNode qc) {
        if (qc == null || !qc.isObject()) {
            return null;
        }
        ObjectNode raw = (ObjectNode) qc;
        String name = text(qc, "quant_method");
        if (name == null && (qc.path("load_in_4bit").asBoolean() || qc.path("load_in_8bit").asBoolean())) {
            name = "bitsandbytes";
        }
        String method = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (method) {
            case "gptq" -> new Quantization(Quantization.Method.GPTQ, name, integer(qc, "bits"), integer(qc, "group_size"),
                    "int", withLmHead(qc, strings(qc, "modules_to_not_convert")), raw);
            case "awq" -> new Quantization(Quantization.Method.AWQ, name, integer(qc, "bits", "w_bit"),
                    integer(qc, "group_size", "q_group_size"), "int", withLmHead(qc, strings(qc, "modules_to_not_convert")), raw);
            case "bitsandbytes" -> qc.path("load_in_4bit").asBoolean()
                    ? new Quantization(Quantization.Method.BITSANDBYTES_4BIT, name, 4, null,
                    text(qc, "bnb_4bit_quant_type") == null ? "fp4" : text(qc, "bnb_4bit_quant_type"),
                    strings(qc, "llm_int8_skip_modules"), raw)
                    : new Quantization(Quantization.Method.BITSANDBYTES_8BIT, name, 8, -1, "int8",
                    strings(qc, "llm_int8_skip_modules"), raw);
            case "fp8", "fbgemm_fp8" -> new Quantization(Quantization.Method.FP8, name, 8, fp8Group(qc),
                    text(qc, "fmt") == null ? "e4m3" : text(qc, "fmt"), strings(qc, "modules_to_not_convert"), raw);
            case "compressed-tensors" -> compressedTensors(name, raw);
            case "mxfp4" -> new Quantization(Quantization.Method.MXFP4, name, 4, 32, "e2m1",
                    strings(qc, "modules_to_not_convert"), raw);
            case "modelopt" -> modelopt(name, raw);
            default -> new Quantization(Quantization.Method.OTHER, name == null ? "unknown" : name,
                    integer(qc, "bits", "w_bit", "weight_bits", "nbits"), integer(qc, "group_size"), null,
                    strings(qc, "modules_to_not_convert"), raw);
        };
    }

    /** FP8 scales: one per block of {@code weight_block_size} (128 x 128 = 16384 weights), else per channel (fbgemm) or per tensor. */
    private static Integer fp8Group(JsonNode qc) {
        JsonNode block = qc.get("weight_block_size");
        if (block != null && block.isArray() && block.size() > 0) {
            int n = 1;
            for (JsonNode b : block) {
                n *= b.asInt();
            }
            return n;
        }
        return "fbgemm_fp8".equals(text(qc, "quant_method")) ? -1 : null;
    }

    private static Quantization compressedTensors(String name, ObjectNode qc) {
        JsonNode weights = null;
        JsonNode groups = qc.get("config_groups");
        if (groups != null && groups.isObject() && groups.size() > 0) {
            weights = groups.elements().next().get("weights");
        }
        Integer bits = weights == null ? null : integer(weights, "num_bits");
        Integer group = null;
        String scheme = null;
        if (weights != null && weights.isObject()) {
            String strategy = text(weights, "strategy");
            group = "channel".equals(strategy) ? Integer.valueOf(-1) : integer(weights, "group_size");
            scheme = text(weights, "type") + (strategy == null ? "" : "-" + strategy);
        }
        return new Quantization(Quantization.Method.COMPRESSED_TENSORS, name, bits, group, scheme, strings(qc, "ignore"), qc);
    }

    private static Quantization modelopt(String name, ObjectNode qc) {
        String algo = text(qc, "quant_algo");
        List<String> skip = strings(qc, "exclude_modules");
        skip.addAll(strings(qc, "ignore"));
        if (algo != null && algo.toUpperCase(Locale.ROOT).contains("NVFP4")) {
            Integer group = integer(qc, "group_size");
            return new Quantization(Quantization.Method.NVFP4, name, 4, group == null ? 16 : group, "e2m1", skip, qc);
        }
        if (algo != null && algo.toUpperCase(Locale.ROOT).contains("FP8")) {
            return new Quantization(Quantization.Method.FP8, name, 8, null, "e4m3", skip, qc);
        }
        return new Quantization(Quantization.Method.OTHER, name, null, integer(qc, "group_size"), algo, skip, qc);
    }

    /** GPTQ and AWQ leave the output head in full precision unless {@code lm_head} says otherwise. */
    private static List<String> withLmHead(JsonNode qc, List<String> modules) {
        if (!qc.path("lm_head").asBoolean(false) && !modules.contains("lm_head")) {
            modules.add("lm_head");
        }
        return modules;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Integer integer(JsonNode n, String... keys) {
        for (String k : keys) {
            JsonNode v = n.get(k);
            if (v != null && v.isNumber()) {
                return v.asInt();
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode n, String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = n.get(key);
        if (v != null && v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
