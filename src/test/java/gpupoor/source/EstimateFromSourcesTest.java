package gpupoor.source;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.catalog.Catalog;
import gpupoor.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models the catalog does not hold, estimated end to end: a Hub id through a fake Hub (then from the
 * cache, then offline), a local GGUF file; each gets its exact bytes per tensor from the headers.
 */
class EstimateFromSourcesTest {
    private static final String C1 = "a".repeat(40);
    private static final double MIB = 1024 * 1024;
    /** A small Llama: 2 layers of width 256, 4 heads sharing 2 KV heads of 64, MLP 512, 1000 tokens. */
    private static final String CONFIG = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 256, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16"}""";

    @TempDir
    Path tmp;
    FakeHub hub;
    long safetensorsBytes;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        StringBuilder json = new StringBuilder("{");
        long[] offset = {0};
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":{\"dtype\":\"BF16\",\"shape\":")
                    .append(java.util.Arrays.toString(shape).replace(" ", "")).append(",\"data_offsets\":[").append(offset[0])
                    .append(',').append(offset[0] + 2 * n).append("]}");
            offset[0] += 2 * n;
        };
        add.accept("model.embed_tokens.weight", new long[]{1000, 256});
        for (int i = 0; i < 2; i++) {
            String p = "model.layers." + i + ".";
            add.accept(p + "self_attn.q_proj.weight", new long[]{256, 256});
            add.accept(p + "self_attn.k_proj.weight", new long[]{128, 256});
            add.accept(p + "self_attn.v_proj.weight", new long[]{128, 256});
            add.accept(p + "self_attn.o_proj.weight", new long[]{256, 256});
            add.accept(p + "mlp.gate_proj.weight", new long[]{512, 256});
            add.accept(p + "mlp.up_proj.weight", new long[]{512, 256});
            add.accept(p + "mlp.down_proj.weight", new long[]{256, 512});
            add.accept(p + "input_layernorm.weight", new long[]{256});
            add.accept(p + "post_attention_layernorm.weight", new long[]{256});
        }
        add.accept("model.norm.weight", new long[]{256});
        add.accept("lm_head.weight", new long[]{1000, 256});
        json.append('}');
        safetensorsBytes = offset[0];
        hub.repo("acme/small-llama").commit(C1, "main")
                .file(C1, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8))
                .file(C1, "model.safetensors", SafetensorsBytes.file(json.toString(), (int) safetensorsBytes));
        hub.repo("acme/gated").gatedToken = "right";
        hub.repo("acme/gated").commit(C1, "main").file(C1, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8));
        Catalog.useHub(settings(false));
    }

    @AfterEach
    void stop() {
        Catalog.useHub(null);
        hub.close();
    }

    HubSettings settings(boolean offline) {
        return new HubSettings(hub.endpoint(), null, null, offline, tmp.resolve("hf"), tmp.resolve("ours"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofHours(1));
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void aHubIdThroughTheFakeHubThenTheCacheThenOffline() {
        ModelSpec m = Catalog.get().model("acme/small-llama");
        assertEquals(ModelSpec.Source.HUB, m.source());
        assertEquals(safetensorsBytes, m.weights().totalBytes());
        Scenario s = Scenario.builder().model(m).device(Catalog.get().hardware("rtx-4090")).build();
        assertEquals(Framework.HF, s.framework());
        // transformers holds the checkpoint's bytes exactly as published
        assertEquals(safetensorsBytes / MIB, Methods.DEFAULT.estimate(s).memory().weightsMiB(), 1e-9);

        Run r = cli("estimate", "--model", "acme/small-llama", "--gpu", "rtx-4090", "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("as published (safetensors headers of the Hub's acme/small-llama at aaaaaaaaaaaa)"), r.out());
        int requests = hub.log.size();
        // from the cache: no request reaches the Hub
        assertEquals(0, cli("estimate", "--model", "acme/small-llama", "--gpu", "rtx-4090").code());
        assertEquals(requests, hub.log.size());
        hub.close();
        Catalog.useHub(settings(true));
        assertEquals(0, cli("estimate", "--model", "acme/small-llama", "--gpu", "rtx-4090").code());
        // offline with nothing cached: exit 2 and a message that says so
        Run missing = cli("estimate", "--model", "acme/other", "--gpu", "rtx-4090");
        assertEquals(Main.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("unknown model 'acme/other'") && missing.err().contains("not cached"), missing.err());
    }

    @Test
    void aGatedRepositorySaysHowToSetTheToken() {
        String m = assertThrows(InvalidScenarioException.class, () -> Catalog.get().model("acme/gated")).getMessage();
        assertTrue(m.contains("HF_TOKEN"), m);
    }

    @Test
    void aLocalGgufFileRunsOnLlamaCppWithItsOwnTypes() throws IOException {
        // Q8_0: 34 bytes per 32 weights; the file type 7 is llama.cpp's MOSTLY_Q8_0
        GgufBytes g = new GgufBytes().string("general.architecture", "llama").uint32("general.file_type", 7)
                .uint32("llama.block_count", 2).uint32("llama.embedding_length", 256).uint32("llama.feed_forward_length", 512)
                .uint32("llama.attention.head_count", 4).uint32("llama.attention.head_count_kv", 2)
                .uint32("llama.context_length", 4096).uint32("llama.vocab_size", 1000);
        long embd = 1000L * 256 / 32 * 34;
        g.tensor("token_embd.weight", 8, embd, 256, 1000).tensor("output.weight", 8, embd, 256, 1000)
                .tensor("output_norm.weight", 0, 1024, 256);
        long layers = 0;
        for (int i = 0; i < 2; i++) {
            String p = "blk." + i + ".";
            long q = 256L * 256 / 32 * 34;
            long kv = 256L * 128 / 32 * 34;
            long ffn = 256L * 512 / 32 * 34;
            g.tensor(p + "attn_q.weight", 8, q, 256, 256).tensor(p + "attn_k.weight", 8, kv, 256, 128)
                    .tensor(p + "attn_v.weight", 8, kv, 256, 128).tensor(p + "attn_output.weight", 8, q, 256, 256)
                    .tensor(p + "ffn_gate.weight", 8, ffn, 256, 512).tensor(p + "ffn_up.weight", 8, ffn, 256, 512)
                    .tensor(p + "ffn_down.weight", 8, ffn, 512, 256).tensor(p + "attn_norm.weight", 0, 1024, 256)
                    .tensor(p + "ffn_norm.weight", 0, 1024, 256);
            layers += 2 * q + 2 * kv + 3 * ffn + 2048;
        }
        Path file = tmp.resolve("small-Q8_0.gguf");
        Files.write(file, g.header());
        ModelSpec m = Catalog.get().model(file.toString());
        assertEquals(ModelSpec.Source.GGUF, m.source());
        Scenario s = Scenario.builder().model(m).device(Catalog.get().hardware("rtx-4090")).build();
        assertEquals(Quant.Q8_0, s.quant());
        assertEquals(Framework.LLAMA_CPP, s.framework());
        // on the GPU: every block and the output layer with the final norm; the token embedding stays in host memory
        assertEquals((layers + embd + 1024) / MIB, Methods.DEFAULT.estimate(s).memory().weightsMiB(), 1e-9);
        Run r = cli("estimate", "--model", file.toString(), "--gpu", "rtx-4090", "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("file type Q8_0"), r.out());
        // a broken file: exit 2, its message
        Files.write(file, new byte[]{'G', 'G', 'U', 'F', 3, 0});
        Run bad = cli("estimate", "--model", file.toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().startsWith("error: ") && !bad.err().contains("Exception"), bad.err());
    }

    /** A hybrid's GGUF metadata (llama.cpp's ssm.* keys) gives the same blocks and state as its config.json would. */
    @Test
    void hybridGgufMetadataGivesTheBlocksAndTheState() throws IOException {
        // Qwen3-Next in llama.cpp's keys: every 4th block attends; Gated DeltaNet with 2 key heads (group_count),
        // 4 value heads (time_step_rank) of 16 (state_size; inner_size = 4 x 16), conv 4
        GgufBytes next = new GgufBytes().string("general.architecture", "qwen3next").uint32("qwen3next.block_count", 8)
                .uint32("qwen3next.embedding_length", 64).uint32("qwen3next.feed_forward_length", 128)
                .uint32("qwen3next.attention.head_count", 4).uint32("qwen3next.attention.head_count_kv", 2)
                .uint32("qwen3next.attention.key_length", 16).uint32("qwen3next.attention.value_length", 16)
                .uint32("qwen3next.full_attention_interval", 4).uint32("qwen3next.ssm.conv_kernel", 4)
                .uint32("qwen3next.ssm.state_size", 16).uint32("qwen3next.ssm.group_count", 2)
                .uint32("qwen3next.ssm.time_step_rank", 4).uint32("qwen3next.ssm.inner_size", 64)
                .uint32("qwen3next.vocab_size", 100).tensor("token_embd.weight", 0, 100 * 64 * 4, 64, 100);
        Path file = tmp.resolve("next.gguf");
        Files.write(file, next.header());
        gpupoor.calc.accurate.ModelSummary s = gpupoor.calc.accurate.ModelSummary.of(Catalog.get().model(file.toString()));
        assertEquals(2, s.attentionLayers());
        // 2 attention blocks x 2 (K, V) x 2 KV heads x 16 x 2 bytes
        assertEquals(2 * 2 * 2 * 16 * 2, s.kvBytesPerToken());
        Run r = cli("estimate", "--model", file.toString(), "--gpu", "rtx-4090", "--explain");
        assertEquals(0, r.code(), r.err());
        // state per block: conv (2 x 2 x 16 + 64) x 3 + recurrent 4 x 16 x 16 elements, in F32 on llama.cpp
        assertTrue(r.out().contains("6 Gated DeltaNet (2 key / 4 value heads of 16/16, conv 4) layers"), r.out());
        assertTrue(r.out().contains(6 * ((2 * 2 * 16 + 64) * 3 + 4 * 16 * 16) + " elements of 4 bytes"), r.out());
    }
}
