package gpupoor.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GGUF model: its metadata as config.json keys, and split files read as one model. */
class GgufModelTest {
    @TempDir
    Path dir;

    ModelSource load(GgufBytes g) throws IOException {
        Path p = dir.resolve("m.gguf");
        Files.write(p, g.file());
        return ModelSources.load(p.toString(), HubSettings.fromEnvironment(java.util.Map.of(), dir));
    }

    static GgufBytes llm(String arch, int layers) {
        return new GgufBytes().string("general.architecture", arch).uint32(arch + ".block_count", layers)
                .uint32(arch + ".embedding_length", 64).uint32(arch + ".attention.head_count", 4);
    }

    static List<String> types(ObjectNode c) {
        List<String> out = new ArrayList<>();
        c.get("layer_types").forEach(n -> out.add(n.asText().substring(0, 1)));
        return out;
    }

    @Test
    void metadataBecomesConfigKeys() throws IOException {
        ModelSource m = load(llm("llama", 2).uint32("llama.attention.head_count_kv", 2).uint32("llama.context_length", 4096)
                .uint32("llama.feed_forward_length", 128).uint32("llama.attention.key_length", 16)
                .float32("llama.rope.freq_base", 500000f).string("llama.rope.scaling.type", "yarn")
                .float32("llama.rope.scaling.factor", 4f).uint32("llama.rope.scaling.original_context_length", 1024)
                .uint32("llama.expert_count", 8).uint32("llama.expert_used_count", 2)
                .strings("tokenizer.ggml.tokens", "a", "b", "c", "d", "e")
                .tensor("token_embd.weight", 0, 64 * 5 * 4, 64, 5));
        ObjectNode c = m.config();
        assertEquals("llama", c.get("model_type").asText());
        assertEquals(2, c.get("num_hidden_layers").asInt());
        assertEquals(64, c.get("hidden_size").asInt());
        assertEquals(4, c.get("num_attention_heads").asInt());
        assertEquals(2, c.get("num_key_value_heads").asInt());
        assertEquals(4096, c.get("max_position_embeddings").asInt());
        assertEquals(128, c.get("intermediate_size").asInt());
        assertEquals(16, c.get("head_dim").asInt());
        assertEquals(500000.0, c.get("rope_theta").asDouble());
        assertEquals("yarn", c.get("rope_scaling").get("rope_type").asText());
        assertEquals(4.0, c.get("rope_scaling").get("factor").asDouble());
        assertEquals(1024, c.get("rope_scaling").get("original_max_position_embeddings").asInt());
        assertEquals(8, c.get("num_local_experts").asInt());
        assertEquals(2, c.get("num_experts_per_tok").asInt());
        assertEquals(5, c.get("vocab_size").asInt());
        assertTrue(c.get("tie_word_embeddings").asBoolean());
        assertFalse(c.has("layer_types"));
        assertEquals(ModelSource.Format.GGUF, m.format());
        assertEquals(Quantization.Method.GGUF, m.quantization().method());
        assertEquals("F32", m.quantization().scheme());
        assertEquals(1280, m.totalBytes());
        assertFalse(load(llm("llama", 1).tensor("output.weight", 1, 128, 64)).config().get("tie_word_embeddings").asBoolean());
    }

    @Test
    void slidingWindowsRecurrentAndLinearAttentionLayers() throws IOException {
        ModelSource gemma = load(llm("gemma3", 8).uint32("gemma3.attention.sliding_window", 1024));
        assertEquals(List.of("s", "s", "s", "s", "s", "f", "s", "s"), types(gemma.config()));
        assertEquals(6, gemma.config().get("sliding_window_pattern").asInt());
        assertTrue(gemma.notes().get(0).contains("llama.cpp's default for gemma3"), gemma.notes().toString());

        ObjectNode stated = load(llm("gemma3", 4).uint32("gemma3.attention.sliding_window", 512)
                .uint32("gemma3.attention.sliding_window_pattern", 2)).config();
        assertEquals(List.of("s", "f", "s", "f"), types(stated));
        ObjectNode flags = load(llm("gpt-oss", 3).uint32("gpt-oss.attention.sliding_window", 128)
                .bools("gpt-oss.attention.sliding_window_pattern", false, true, true)).config();
        assertEquals(List.of("f", "s", "s"), types(flags));

        ObjectNode hybrid = load(llm("jamba", 4).ints("jamba.attention.head_count_kv", 4, 0, 8, 0, 8)
                .uint32("jamba.ssm.state_size", 16).uint32("jamba.ssm.conv_kernel", 4).uint32("jamba.ssm.inner_size", 128))
                .config();
        assertEquals(8, hybrid.get("num_key_value_heads").asInt());
        assertEquals(4, hybrid.get("num_key_value_heads_per_layer").size());
        assertEquals(List.of("r", "f", "r", "f"), types(hybrid));
        assertEquals(16, hybrid.get("ssm_state_size").asInt());
        assertEquals(128, hybrid.get("ssm_inner_size").asInt());

        ObjectNode next = load(llm("qwen3next", 8).uint32("qwen3next.full_attention_interval", 4)).config();
        assertEquals(List.of("l", "l", "l", "f", "l", "l", "l", "f"), types(next));

        ModelSource unknown = load(llm("mistral3", 2).uint32("mistral3.attention.sliding_window", 64));
        assertFalse(unknown.config().has("sliding_window_pattern"));
        assertTrue(unknown.notes().get(0).contains("no pattern"), unknown.notes().toString());
    }

    @Test
    void multiHeadLatentAttentionHeadSizes() throws IOException {
        ObjectNode c = load(llm("deepseek2", 2).uint32("deepseek2.attention.kv_lora_rank", 512)
                .uint32("deepseek2.attention.q_lora_rank", 1536).uint32("deepseek2.rope.dimension_count", 64)
                .uint32("deepseek2.attention.key_length", 576).uint32("deepseek2.attention.value_length", 512)
                .uint32("deepseek2.attention.key_length_mla", 192).uint32("deepseek2.attention.value_length_mla", 128)).config();
        assertEquals(512, c.get("kv_lora_rank").asInt());
        assertEquals(64, c.get("qk_rope_head_dim").asInt());
        assertEquals(128, c.get("qk_nope_head_dim").asInt());
        assertEquals(128, c.get("v_head_dim").asInt());
        assertFalse(c.has("head_dim"));
    }

    @Test
    void notALanguageModel() {
        String clip = assertThrows(InvalidModelSourceException.class, () -> load(new GgufBytes()
                .string("general.architecture", "clip").uint32("clip.vision.block_count", 27))).getMessage();
        assertTrue(clip.contains("it is a multimodal projector (mmproj) file"), clip);
        assertTrue(assertThrows(InvalidModelSourceException.class, () -> load(new GgufBytes().uint32("x", 1)))
                .getMessage().contains("has no general.architecture"));
    }

    static GgufBytes part(int no, int count, int tensorsTotal, String tensor) {
        GgufBytes g = no == 0 ? llm("llama", 2) : new GgufBytes();
        return g.raw("split.no", 2, new byte[]{(byte) no, 0}).raw("split.count", 2, new byte[]{(byte) count, 0})
                .raw("split.tensors.count", 5, new byte[]{(byte) tensorsTotal, 0, 0, 0}).tensor(tensor, 1, 128, 64);
    }

    @Test
    void splitFilesAreReadAsOneModel() throws IOException {
        Files.write(dir.resolve("m-00001-of-00003.gguf"), part(0, 3, 3, "a").file());
        Files.write(dir.resolve("m-00002-of-00003.gguf"), part(1, 3, 3, "b").file());
        String missing = assertThrows(InvalidModelSourceException.class,
                () -> ModelSources.load(dir.resolve("m-00002-of-00003.gguf").toString())).getMessage();
        assertTrue(missing.contains("its part m-00003-of-00003.gguf is missing"), missing);
        Files.write(dir.resolve("m-00003-of-00003.gguf"), part(2, 3, 3, "c").file());
        ModelSource m = ModelSources.load(dir.resolve("m-00002-of-00003.gguf").toString());
        assertEquals(3, m.ggufFiles().size());
        assertEquals(List.of("a", "b", "c"), m.tensors().stream().map(TensorInfo::name).toList());
        assertEquals(List.of("m-00001-of-00003.gguf", "m-00002-of-00003.gguf", "m-00003-of-00003.gguf"),
                m.tensors().stream().map(TensorInfo::file).toList());
        assertEquals(2, m.config().get("num_hidden_layers").asInt());
        assertEquals(m.tensors(), ModelSources.load(dir.toString()).tensors());

        Files.write(dir.resolve("m-00003-of-00003.gguf"), part(2, 3, 3, "c").tensor("d", 1, 128, 64).file());
        assertTrue(assertThrows(InvalidModelSourceException.class,
                () -> ModelSources.load(dir.resolve("m-00001-of-00003.gguf").toString())).getMessage()
                .contains("split.tensors.count = 3, but the parts hold 4 tensors"));
        Files.write(dir.resolve("m-00003-of-00003.gguf"), part(1, 3, 3, "c").file());
        assertTrue(assertThrows(InvalidModelSourceException.class,
                () -> ModelSources.load(dir.resolve("m-00001-of-00003.gguf").toString())).getMessage()
                .contains("should be split part 2 (split.no), but says 1"));
    }
}
