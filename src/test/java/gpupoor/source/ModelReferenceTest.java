package gpupoor.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Telling references apart, and the Hub settings read from the environment. */
class ModelReferenceTest {
    static final URI HF = URI.create("https://huggingface.co");

    @TempDir
    Path tmp;

    static ModelReference parse(String s) {
        return ModelReference.parse(s, HF);
    }

    static String error(String s) {
        return assertThrows(InvalidModelSourceException.class, () -> parse(s)).getMessage();
    }

    @Test
    void everyFormOfReference() throws IOException {
        assertEquals(new ModelReference.Hub("meta-llama/Llama-3.1-8B-Instruct", "main"), parse("meta-llama/Llama-3.1-8B-Instruct"));
        assertEquals(new ModelReference.Hub("Qwen/Qwen3-8B", "refs/pr/12"), parse("Qwen/Qwen3-8B@refs/pr/12"));
        assertEquals(new ModelReference.HubFile("unsloth/Qwen3-8B-GGUF", "v2", "Q4_K_M/Qwen3-8B-Q4_K_M.gguf"),
                parse("hf://unsloth/Qwen3-8B-GGUF@v2/Q4_K_M/Qwen3-8B-Q4_K_M.gguf"));
        assertEquals(new ModelReference.Hub("unsloth/Qwen3-8B-GGUF", "main"), parse("hf://unsloth/Qwen3-8B-GGUF"));
        assertEquals(new ModelReference.HubFile("org/repo", "main", "a.gguf"),
                parse("https://huggingface.co/org/repo/resolve/main/a.gguf?download=true"));
        assertEquals(new ModelReference.Url(URI.create("https://example.org/m/model.gguf")), parse("https://example.org/m/model.gguf"));
        Path gguf = Files.write(tmp.resolve("m.gguf"), new byte[0]);
        Path config = Files.write(tmp.resolve("config.json"), new byte[0]);
        Path st = Files.write(tmp.resolve("model.safetensors"), new byte[0]);
        assertEquals(new ModelReference.LocalGguf(gguf), parse(gguf.toString()));
        assertEquals(new ModelReference.LocalConfig(config), parse(config.toString()));
        assertEquals(new ModelReference.LocalDir(tmp), parse(tmp.toString()));
        assertEquals(new ModelReference.LocalDir(tmp.toAbsolutePath()), parse(st.toString()));
    }

    @Test
    void badReferencesSayWhatIsAccepted() {
        assertTrue(error("").startsWith("no model given; give a Hub id org/name"));
        assertEquals("no file or directory '/nowhere/m.gguf'", error("/nowhere/m.gguf"));
        assertTrue(error("llama 3").startsWith("'llama 3' is not a model reference; give a Hub id org/name (optionally @revision)"));
        assertTrue(error("org/name@").contains("has an empty revision"));
        assertTrue(error("org/name@../../x").contains("is not a plain relative path"));
        assertTrue(error("hf://org/name/../x.gguf").contains("is not a plain relative path"));
        assertTrue(error("hf://org/name/model.safetensors").contains("for a safetensors model give the repository: org/name"));
        assertTrue(error("https://example.org/config.json").contains("does not name a .gguf file"));
        assertTrue(error("org--x/name").startsWith("'org--x/name' is not a model reference"));
    }

    @Test
    void hubSettingsFromTheEnvironment() throws IOException {
        Path home = tmp.resolve("home");
        HubSettings d = HubSettings.fromEnvironment(Map.of(), home);
        assertEquals(URI.create("https://huggingface.co"), d.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), d.hfCache());
        assertEquals(home.resolve(".cache/gpupoor/hub"), d.cache());
        assertNull(d.token());
        assertFalse(d.offline());
        HubSettings e = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "http://mirror.local/", "HF_TOKEN", "hf_abc",
                "HF_HUB_OFFLINE", "yes", "XDG_CACHE_HOME", "/x", "HF_HUB_CACHE", "/hub"), home);
        assertEquals(URI.create("http://mirror.local"), e.endpoint());
        assertEquals("hf_abc", e.token());
        assertEquals("HF_TOKEN", e.tokenSource());
        assertTrue(e.offline());
        assertEquals(Path.of("/hub"), e.hfCache());
        assertEquals(Path.of("/x/gpupoor/hub"), e.cache());
        assertFalse(e.toString().contains("hf_abc"), "the token must not be printed: " + e);
        Path hfHome = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_file\n");
        HubSettings f = HubSettings.fromEnvironment(Map.of("HF_HOME", hfHome.toString(), "HF_HUB_OFFLINE", "0",
                "HUGGING_FACE_HUB_TOKEN", ""), home);
        assertEquals("hf_file", f.token());
        assertFalse(f.offline());
        assertEquals(hfHome.resolve("hub"), f.hfCache());
        assertTrue(HubSettings.fromEnvironment(Map.of("TRANSFORMERS_OFFLINE", "1"), home).offline());
    }
}
