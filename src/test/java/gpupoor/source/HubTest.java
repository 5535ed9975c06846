package gpupoor.source;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models from a Hugging Face Hub on localhost: resolution, redirects, Range requests, errors, retries, timeouts and the caches. */
class HubTest {
    static final String C1 = "1".repeat(40);
    static final String C2 = "2".repeat(40);
    static final String C3 = "3".repeat(40);
    static final String CONFIG = "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_hidden_layers\": 2,"
            + " \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"vocab_size\": 10}";
    static final int DATA = 1 << 20;

    @TempDir
    Path tmp;
    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        String shard1 = "{\"model.embed_tokens.weight\":{\"dtype\":\"BF16\",\"shape\":[10,64],\"data_offsets\":[0,1280]},"
                + "\"model.layers.0.self_attn.q_proj.weight\":{\"dtype\":\"BF16\",\"shape\":[64,64],\"data_offsets\":[1280,9472]}}";
        String shard2 = "{\"lm_head.weight\":{\"dtype\":\"F32\",\"shape\":[10,64],\"data_offsets\":[0,2560]}}";
        String index = "{\"metadata\":{\"total_size\":12032},\"weight_map\":{\"model.embed_tokens.weight\":\"model-00001-of-00002.safetensors\","
                + "\"model.layers.0.self_attn.q_proj.weight\":\"model-00001-of-00002.safetensors\","
                + "\"lm_head.weight\":\"model-00002-of-00002.safetensors\"}}";
        hub.repo("acme/tiny").commit(C1, "main")
                .file(C1, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8))
                .file(C1, "generation_config.json", "{\"max_length\": 4096, \"eos_token_id\": [1, 2]}".getBytes(StandardCharsets.UTF_8))
                .file(C1, "model.safetensors.index.json", index.getBytes(StandardCharsets.UTF_8))
                .file(C1, "model-00001-of-00002.safetensors", SafetensorsBytes.file(shard1, DATA))
                .file(C1, "model-00002-of-00002.safetensors", SafetensorsBytes.file(shard2, DATA))
                .commit(C2, "v1")
                .file(C2, "config.json", CONFIG.replace("\"hidden_size\": 64", "\"hidden_size\": 32").getBytes(StandardCharsets.UTF_8))
                .file(C2, "model.safetensors", SafetensorsBytes.file(
                        "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[32,32],\"data_offsets\":[0,1024]}}", 1024));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubSettings settings(String token) {
        return new HubSettings(hub.endpoint(), token, token == null ? null : "HF_TOKEN", false, tmp.resolve("hf"),
                tmp.resolve("ours"), Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofHours(1));
    }

    String error(String ref, HubSettings s) {
        return assertThrows(InvalidModelSourceException.class, () -> ModelSources.load(ref, s)).getMessage();
    }

    @Test
    void readsARepositoryThroughRedirectsAndRangeRequestsThenFromTheCache() throws IOException {
        ModelSource m = ModelSources.load("acme/tiny", settings("secret"));
        assertEquals(ModelSource.Format.SAFETENSORS, m.format());
        assertEquals(64, m.config().get("hidden_size").asInt());
        assertEquals(4096, m.generation().get("max_length").asInt());
        assertEquals(List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "lm_head.weight"),
                m.tensors().stream().map(TensorInfo::name).toList());
        assertEquals(1280 + 8192 + 2560, m.totalBytes());
        assertTrue(m.notes().isEmpty(), m.notes().toString());
        Origin o = m.origin();
        assertEquals(C1, o.commit());
        assertEquals("main", o.revision());
        assertTrue(o.network());
        Origin.SourceFile config = o.files().stream().filter(f -> f.name().equals("config.json")).findFirst().orElseThrow();
        assertEquals("git-" + FakeHub.sha256(CONFIG.getBytes(StandardCharsets.UTF_8)).substring(0, 12), config.etag());
        Origin.SourceFile shard = o.files().stream().filter(f -> f.name().equals("model-00001-of-00002.safetensors"))
                .findFirst().orElseThrow();
        assertEquals(64, shard.etag().length(), "X-Linked-Etag (the sha256), not the pointer's ETag: " + shard.etag());
        assertEquals("header", shard.part());

        // the Hub got the token; the CDN got only Range requests, no token, and a few KiB of the 2 MiB
        assertTrue(hub.requests("hub").stream().allMatch(r -> "Bearer secret".equals(r.authorization())));
        assertFalse(hub.requests("cdn").isEmpty());
        assertTrue(hub.requests("cdn").stream().allMatch(r -> r.range() != null && r.authorization() == null));
        assertTrue(hub.cdnBytes.get() <= 2 * (64 << 10), "fetched " + hub.cdnBytes.get());
        assertEquals(hub.repo("acme/tiny").commits.get(C1).get("model-00001-of-00002.safetensors").length, shard.size());

        Path repo = tmp.resolve("ours").resolve("models--acme--tiny");
        assertEquals(C1, Files.readString(repo.resolve("refs/main")));
        assertTrue(Files.isRegularFile(repo.resolve("snapshots").resolve(C1).resolve("config.json")));
        assertTrue(Files.size(repo.resolve("headers").resolve(C1).resolve("model-00002-of-00002.safetensors")) < 200);

        int before = hub.log.size();
        ModelSource again = ModelSources.load("acme/tiny", settings("secret"));
        assertEquals(before, hub.log.size(), "the second call must not reach the Hub");
        assertFalse(again.origin().network());
        assertEquals(m.tensors(), again.tensors());
        assertEquals(m.config(), again.config());
        assertEquals(m.tensors(), ModelSources.load("acme/tiny", settings(null).withOffline(true)).tensors());
    }

    @Test
    void aStaleBranchIsAskedForAgainButItsFilesComeFromTheCache() {
        ModelSources.load("acme/tiny", settings(null));
        int before = hub.log.size();
        HubSettings s = settings(null);
        HubSettings stale = new HubSettings(s.endpoint(), null, null, false, s.hfCache(), s.cache(), s.connectTimeout(),
                s.timeout(), s.attempts(), s.backoff(), s.maxBackoff(), Duration.ZERO);
        ModelSource m = ModelSources.load("acme/tiny", stale);
        List<FakeHub.Request> after = hub.log.subList(before, hub.log.size());
        assertEquals(1, after.size(), after.toString());
        assertTrue(after.get(0).path().startsWith("/api/models/acme/tiny/revision/main"));
        assertEquals(C1, m.origin().commit());
    }

    @Test
    void revisionsResolveToTheirOwnCommit() {
        ModelSource v1 = ModelSources.load("acme/tiny@v1", settings(null));
        assertEquals(C2, v1.origin().commit());
        assertEquals("v1", v1.origin().revision());
        assertEquals(32, v1.config().get("hidden_size").asInt());
        assertEquals(SafetensorsDtype.F8_E4M3, v1.tensors().get(0).type());
        assertNull(v1.generation());
        assertTrue(hub.requests("hub").stream().anyMatch(r -> r.path().equals("/api/models/acme/tiny/revision/v1")));
        int before = hub.log.size();
        assertEquals(C2, ModelSources.load("acme/tiny@" + C2, settings(null)).origin().commit());
        assertEquals(before, hub.log.size(), "a cached commit is never asked for again");
        assertEquals("acme/tiny has no revision 'nope' (a branch, tag or commit hash; the default is main)",
                error("acme/tiny@nope", settings(null)));
    }

    @Test
    void gatedRepositoriesNeedAToken() throws IOException {
        hub.repo("acme/gated").commit(C1, "main").file(C1, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8)).gatedToken = "secret";
        String none = error("acme/gated", settings(null));
        assertTrue(none.startsWith("acme/gated is a gated repository: ask for access at " + hub.endpoint() + "/acme/gated, then set HF_TOKEN"), none);
        String wrong = error("acme/gated", settings("nope"));
        assertTrue(wrong.contains("make sure the token from HF_TOKEN belongs to the account that was given access"), wrong);
        Path home = tmp.resolve("hfhome");
        Files.createDirectories(home);
        Files.writeString(home.resolve("token"), "secret\n");
        HubSettings fromFile = HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString(), "HF_ENDPOINT", hub.endpoint() + "/",
                "GPUPOOR_CACHE", tmp.resolve("c").toString()), tmp);
        assertEquals("the token file " + home.resolve("token"), fromFile.tokenSource());
        assertEquals(64, ModelSources.load("acme/gated", fromFile).config().get("hidden_size").asInt());
    }

    @Test
    void missingRepositoriesAndFilesSaySo() {
        assertEquals("no repository acme/missing on " + hub.endpoint() + ": check the name (org/name, as in the model page's URL)",
                error("acme/missing", settings(null)));
        String file = error("hf://acme/tiny/nothing.gguf", settings(null));
        assertTrue(file.startsWith("nothing.gguf of acme/tiny@main does not exist (HTTP 404"), file);
        hub.repo("acme/tiny-gguf").commit(C3, "main").file(C3, "tiny-Q4_K_M.gguf", new GgufBytes().file());
        String gguf = error("acme/tiny-gguf", settings(null));
        assertTrue(gguf.startsWith("acme/tiny-gguf holds GGUF files, not a config.json: name one, e.g. hf://acme/tiny-gguf/tiny-Q4_K_M.gguf"), gguf);
    }

    @Test
    void retriesAfterTooManyRequestsThenGivesUpClearly() {
        hub.repo("acme/busy").commit(C1, "main").file(C1, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8)).tooManyRequests = 2;
        assertEquals(64, ModelSources.load("acme/busy", settings(null)).config().get("hidden_size").asInt());
        assertEquals(3, hub.requests("hub").stream().filter(r -> r.path().startsWith("/api/models/acme/busy")).count());
        hub.repo("acme/busy").tooManyRequests = 100;
        String m = error("acme/busy@" + C2.replace('2', '4'), settings(null));
        assertTrue(m.startsWith("the Hub kept answering 429 Too Many Requests for acme/busy@" + "4".repeat(40) + " after 3 tries"), m);
    }

    @Test
    void aSlowHubHitsTheTimeout() {
        hub.repo("acme/slow").commit(C1, "main").delayMillis = 3000;
        HubSettings s = settings(null);
        HubSettings quick = new HubSettings(s.endpoint(), null, null, false, s.hfCache(), s.cache(), Duration.ofMillis(300),
                Duration.ofMillis(300), 2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofHours(1));
        long start = System.nanoTime();
        String m = error("acme/slow", quick);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(m.startsWith("no answer from 127.0.0.1 within 300 ms (2 tries) for " + hub.endpoint() + "/api/models/acme/slow"), m);
        assertTrue(m.endsWith("set HF_HUB_OFFLINE=1 to use only what is cached"), m);
        assertTrue(ms < 2500, ms + " ms");
    }

    @Test
    void offlineWithNothingCachedIsAClearError() {
        String m = error("acme/tiny", settings(null).withOffline(true));
        assertEquals("HF_HUB_OFFLINE is set and acme/tiny@main is not cached (looked in " + tmp.resolve("ours") + " and "
                + tmp.resolve("hf") + "); run once with network access, or unset HF_HUB_OFFLINE", m);
        assertTrue(hub.log.isEmpty());
        assertTrue(error("hf://acme/tiny/m.gguf", settings(null).withOffline(true)).startsWith("HF_HUB_OFFLINE is set and m.gguf of acme/tiny@main"));
    }

    @Test
    void readsHuggingfaceHubsOwnCacheOffline() throws IOException {
        Path repo = tmp.resolve("hf").resolve("models--acme--local");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), C3);
        Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(C3));
        Files.writeString(snap.resolve("config.json"), CONFIG);
        Files.write(snap.resolve("model.safetensors"), SafetensorsBytes.file(
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[64,64],\"data_offsets\":[0,8192]}}", 8192));
        ModelSource m = ModelSources.load("acme/local", settings(null).withOffline(true));
        assertEquals(C3, m.origin().commit());
        assertEquals(8192, m.totalBytes());
        assertTrue(m.origin().files().stream().allMatch(f -> f.cached() && f.location().startsWith(snap.toString())));
        assertTrue(hub.log.isEmpty());
    }

    @Test
    void aPartialHuggingfaceHubSnapshotIsCompletedOnline() throws IOException {
        Path snap = Files.createDirectories(tmp.resolve("hf/models--acme--tiny/snapshots").resolve(C1));
        Files.writeString(snap.resolve("config.json"), CONFIG);
        Files.writeString(Files.createDirectories(tmp.resolve("hf/models--acme--tiny/refs")).resolve("main"), C1);
        ModelSource m = ModelSources.load("acme/tiny", settings(null));
        assertEquals(3, m.tensors().size());
        Origin.SourceFile config = m.origin().files().stream().filter(f -> f.name().equals("config.json")).findFirst().orElseThrow();
        assertTrue(config.cached() && config.location().equals(snap.resolve("config.json").toString()), config.toString());
        assertTrue(hub.requests("hub").stream().noneMatch(r -> r.path().endsWith("/config.json")));
    }

    @Test
    void ggufHeadersOverRangeRequestsAndThenFromTheCache() throws IOException {
        byte[] part1 = GgufModelTest.part(0, 2, 3, "token_embd.weight").tensor("big", 0, DATA, DATA / 4).file();
        byte[] part2 = GgufModelTest.part(1, 2, 3, "output.weight").file();
        hub.repo("acme/tiny-gguf").commit(C3, "main").file(C3, "q4/m-00001-of-00002.gguf", part1)
                .file(C3, "q4/m-00002-of-00002.gguf", part2);
        ModelSource m = ModelSources.load("hf://acme/tiny-gguf/q4/m-00002-of-00002.gguf", settings(null));
        assertEquals(List.of("token_embd.weight", "big", "output.weight"), m.tensors().stream().map(TensorInfo::name).toList());
        assertEquals(C3, m.origin().commit());
        assertEquals((long) part1.length, m.origin().files().get(0).size());
        assertTrue(hub.cdnBytes.get() < 600 << 10, "fetched " + hub.cdnBytes.get() + " of " + (part1.length + part2.length));
        assertTrue(hub.requests("cdn").stream().allMatch(r -> r.range() != null));
        int before = hub.log.size();
        ModelSource again = ModelSources.load("hf://acme/tiny-gguf/q4/m-00001-of-00002.gguf", settings(null).withOffline(true));
        assertEquals(before, hub.log.size());
        assertEquals(m.tensors(), again.tensors());
        assertEquals(m.config(), again.config());
        assertEquals(m.tensors(), ModelSources.load(hub.endpoint() + "/acme/tiny-gguf/blob/main/q4/m-00001-of-00002.gguf",
                settings(null).withOffline(true)).tensors());
    }

    @Test
    void ggufAtAPlainUrl() {
        byte[] file = GgufModelTest.llm("llama", 2).tensor("w", 0, DATA, DATA / 4).file();
        java.net.URI url = hub.blob("x.gguf", file);
        ModelSource m = ModelSources.load(url.toString(), settings("secret"));
        assertEquals(Origin.Kind.URL, m.origin().kind());
        assertEquals(DATA, m.totalBytes());
        assertTrue(hub.cdnBytes.get() < 600 << 10, "fetched " + hub.cdnBytes.get());
        assertTrue(hub.requests("cdn").stream().allMatch(r -> r.authorization() == null), "the token goes to the Hub only");
        assertEquals("no file at " + hub.cdnBase() + "/blobs/y.gguf (HTTP 404)", error(hub.cdnBase() + "/blobs/y.gguf", settings(null)));
    }
}
