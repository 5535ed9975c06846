package gpupoor.source;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json: the text model under text_config/llm_config/language_config, the vision tower, and quantization_config. */
class ConfigJsonTest {

    /** The shape of google/gemma-3-27b-it's config.json (keys abridged). */
    static final String GEMMA3 = """
            {"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3", "torch_dtype": "bfloat16",
             "text_config": {"head_dim": 128, "hidden_size": 5376, "intermediate_size": 21504, "model_type": "gemma3_text",
                             "num_attention_heads": 32, "num_hidden_layers": 62, "num_key_value_heads": 16,
                             "sliding_window": 1024},
             "vision_config": {"hidden_size": 1152, "model_type": "siglip_vision_model", "num_hidden_layers": 27}}
            """;

    @Test
    void followsTextConfigAndKeepsTheVisionTower() {
        ConfigJson.Parts p = ConfigJson.parse(GEMMA3, "config.json");
        assertEquals("text_config", p.nestedUnder());
        assertEquals(5376, p.text().get("hidden_size").asInt());
        assertEquals("gemma3_text", p.text().get("model_type").asText());
        assertEquals("bfloat16", p.text().get("torch_dtype").asText());
        assertTrue(p.notes().contains("text model config: torch_dtype taken from the outer config"));
        assertEquals(27, p.vision().get("num_hidden_layers").asInt());
        assertNull(p.quantization());
        for (String key : List.of("llm_config", "language_config")) {
            ConfigJson.Parts q = ConfigJson.parse("{\"" + key + "\": {\"hidden_size\": 8, \"num_hidden_layers\": 2,"
                    + " \"num_attention_heads\": 2}}", "c.json");
            assertEquals(key, q.nestedUnder());
            assertEquals(8, q.text().get("hidden_size").asInt());
        }
    }

    @Test
    void missingKeysSayWhereTheyWereLookedFor() {
        String nested = assertThrows(InvalidModelSourceException.class, () -> ConfigJson.parse(
                "{\"text_config\": {\"hidden_size\": 2560, \"num_hidden_layers\": 34}, \"vision_config\": {}}",
                "google/gemma-3-4b-it's config.json")).getMessage();
        assertEquals("google/gemma-3-4b-it's config.json nests its text model under text_config, and text_config lacks"
                + " one of num_attention_heads, num_heads, n_head (transformers fills in a default for"
                + " a key the file leaves out; write the value into text_config)", nested);
        String flat = assertThrows(InvalidModelSourceException.class, () -> ConfigJson.parse(
                "{\"vision_config\": {\"hidden_size\": 4}}", "c.json")).getMessage();
        assertTrue(flat.startsWith("c.json lacks the keys the calculator needs: one of hidden_size, d_model, n_embd"), flat);
        assertTrue(flat.contains("it has a vision or audio config but no text_config, llm_config, language_config"), flat);
        assertTrue(assertThrows(InvalidModelSourceException.class, () -> ConfigJson.parse("[1]", "c.json"))
                .getMessage().contains("'c.json' is not a JSON object: it holds a list"));
        assertTrue(assertThrows(InvalidModelSourceException.class, () -> ConfigJson.parse("{\"a\":", "c.json"))
                .getMessage().contains("'c.json' is not a JSON object: Unexpected end-of-input"));
        // a state-space model has no attention heads
        assertEquals(16, ConfigJson.parse("{\"hidden_size\": 768, \"num_hidden_layers\": 24, \"state_size\": 16}", "m")
                .text().get("state_size").asInt());
    }

    static Quantization quant(String qc) {
        return ConfigJson.parse("{\"hidden_size\": 8, \"num_hidden_layers\": 2, \"num_attention_heads\": 2,"
                + " \"quantization_config\": " + qc + "}", "c.json").quantization();
    }

    @Test
    void quantizationConfigsMapToNeutralMethods() {
        Quantization gptq = quant("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128, \"desc_act\": false}");
        assertEquals(Quantization.Method.GPTQ, gptq.method());
        assertEquals(4, gptq.bits());
        assertEquals(128, gptq.groupSize());
        assertEquals(List.of("lm_head"), gptq.unquantized());
        assertEquals(128, gptq.raw().get("group_size").asInt());

        Quantization awq = quant("{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 64, \"modules_to_not_convert\": [\"visual\"]}");
        assertEquals(Quantization.Method.AWQ, awq.method());
        assertEquals(64, awq.groupSize());
        assertEquals(List.of("visual", "lm_head"), awq.unquantized());

        Quantization nf4 = quant("{\"quant_method\": \"bitsandbytes\", \"load_in_4bit\": true, \"bnb_4bit_quant_type\": \"nf4\","
                + " \"llm_int8_skip_modules\": [\"lm_head\"]}");
        assertEquals(Quantization.Method.BITSANDBYTES_4BIT, nf4.method());
        assertEquals("nf4", nf4.scheme());
        assertEquals(List.of("lm_head"), nf4.unquantized());
        Quantization int8 = quant("{\"load_in_8bit\": true}");
        assertEquals(Quantization.Method.BITSANDBYTES_8BIT, int8.method());
        assertEquals(8, int8.bits());

        Quantization fp8 = quant("{\"quant_method\": \"fp8\", \"fmt\": \"e4m3\", \"activation_scheme\": \"dynamic\","
                + " \"weight_block_size\": [128, 128]}");
        assertEquals(Quantization.Method.FP8, fp8.method());
        assertEquals(128 * 128, fp8.groupSize());
        assertEquals("e4m3", fp8.scheme());

        Quantization ct = quant("{\"quant_method\": \"compressed-tensors\", \"format\": \"pack-quantized\", \"ignore\": [\"lm_head\"],"
                + " \"config_groups\": {\"group_0\": {\"targets\": [\"Linear\"], \"weights\": {\"num_bits\": 4, \"type\": \"int\","
                + " \"strategy\": \"group\", \"group_size\": 32, \"symmetric\": true}}}}");
        assertEquals(Quantization.Method.COMPRESSED_TENSORS, ct.method());
        assertEquals(4, ct.bits());
        assertEquals(32, ct.groupSize());
        assertEquals("int-group", ct.scheme());
        assertEquals(List.of("lm_head"), ct.unquantized());

        Quantization mx = quant("{\"quant_method\": \"mxfp4\", \"modules_to_not_convert\": [\"model.layers.*.self_attn\", \"lm_head\"]}");
        assertEquals(Quantization.Method.MXFP4, mx.method());
        assertEquals(32, mx.groupSize());
        assertEquals(2, mx.unquantized().size());

        Quantization nv = quant("{\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"group_size\": 16, \"exclude_modules\": [\"lm_head\"]}");
        assertEquals(Quantization.Method.NVFP4, nv.method());
        assertEquals(16, nv.groupSize());

        Quantization other = quant("{\"quant_method\": \"hqq\", \"nbits\": 3}");
        assertEquals(Quantization.Method.OTHER, other.method());
        assertEquals("hqq", other.name());
        assertEquals(3, other.bits());
    }
}
