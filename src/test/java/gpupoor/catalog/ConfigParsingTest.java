package gpupoor.catalog;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParsingTest {

    @Test
    void readsAHuggingFaceConfigFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 11008,
                 "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32,
                 "vocab_size": 32000, "rope_scaling": null}
                """);
        ModelSpec m = Catalog.get().model(file.toString());
        assertEquals(ModelSpec.Source.CONFIG_FILE, m.source());
        assertEquals(11008, m.number(0, "intermediate_size"));
        assertTrue(m.config().containsKey("rope_scaling"));
    }

    @Test
    void gpt2StyleKeysAreAccepted() {
        ModelSpec m = Catalog.parseConfig("gpt2.json", "{\"n_embd\": 768, \"n_layer\": 12, \"n_head\": 12}");
        assertEquals(768, m.number(0, "hidden_size", "n_embd"));
    }

    @Test
    void missingKeysAreNamed() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> Catalog.parseConfig("x.json", "{\"hidden_size\": 4096}"));
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
    }

    @Test
    void malformedJsonSaysWhere() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> Catalog.parseConfig("bad.json", "{\"hidden_size\": 4096,, }"));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aJsonArrayIsNotAConfig() {
        assertThrows(InvalidScenarioException.class, () -> Catalog.parseConfig("arr.json", "[1, 2]"));
    }

    @Test
    void missingFileIsAClearError() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> Catalog.get().model("/nonexistent/config.json"));
        assertTrue(e.getMessage().contains("config file '/nonexistent/config.json' not found"), e.getMessage());
    }

    @Test
    void multimodalConfigsAreReadThroughTheirTextConfig() {
        ModelSpec m = Catalog.parseConfig("gemma-3.json", """
                {"model_type": "gemma3", "tie_word_embeddings": true,
                 "text_config": {"model_type": "gemma3_text", "hidden_size": 2560, "num_hidden_layers": 34,
                                 "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256},
                 "vision_config": {"model_type": "siglip_vision_model", "hidden_size": 1152, "num_hidden_layers": 27}}""");
        assertEquals(2560, m.number(0, "hidden_size"));
        assertEquals("gemma3_text", m.config().get("model_type"));
        // the outer tie_word_embeddings and vision_config come along
        assertEquals(Boolean.TRUE, m.config().get("tie_word_embeddings"));
        assertTrue(m.config().get("vision_config") instanceof java.util.Map<?, ?>);
    }

    @Test
    void aTextConfigMissingKeysSaysSo() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Catalog.parseConfig("mm.json", """
                {"model_type": "llava", "text_config": {"model_type": "llama", "hidden_size": 4096},
                 "vision_config": {"hidden_size": 1024, "num_hidden_layers": 24}}"""));
        assertTrue(e.getMessage().contains("nests its text model under text_config"), e.getMessage());
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
    }

    @Test
    void aVisionOnlyConfigPointsAtTheMissingTextModel() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Catalog.parseConfig("v.json",
                "{\"vision_config\": {\"hidden_size\": 1024}}"));
        assertTrue(e.getMessage().contains("vision or audio config but no text_config"), e.getMessage());
    }

    @Test
    void stateSpaceConfigsNeedNoHeads() {
        ModelSpec m = Catalog.parseConfig("mamba.json", "{\"model_type\": \"mamba\", \"hidden_size\": 768, "
                + "\"num_hidden_layers\": 24, \"state_size\": 16}");
        assertEquals(768, m.number(0, "hidden_size"));
    }
}
