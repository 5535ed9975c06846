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
}
