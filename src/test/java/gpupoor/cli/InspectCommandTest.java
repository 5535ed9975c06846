package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static gpupoor.cli.EstimateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inspect command: a model directory as JSON and as a table, and exit code 2 with a message for bad input. */
class InspectCommandTest {
    @TempDir
    Path dir;

    void model(String config) throws IOException {
        Files.writeString(dir.resolve("config.json"), config);
        byte[] header = ("{\"model.embed_tokens.weight\":{\"dtype\":\"BF16\",\"shape\":[10,8],\"data_offsets\":[0,160]},"
                + "\"vision_tower.patch_embed.weight\":{\"dtype\":\"F32\",\"shape\":[4,8],\"data_offsets\":[160,288]}}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 288).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Files.write(dir.resolve("model.safetensors"), b.array());
    }

    @Test
    void printsAModelDirectoryAsJsonAndAsATable() throws IOException {
        model("{\"text_config\": {\"hidden_size\": 8, \"num_hidden_layers\": 2, \"num_attention_heads\": 2},"
                + " \"vision_config\": {\"hidden_size\": 4}, \"quantization_config\": {\"quant_method\": \"fp8\"}}");
        EstimateCommandTest.Run r = run("inspect", dir.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("safetensors", j.get("format").asText());
        assertEquals(8, j.get("config").get("hidden_size").asInt());
        assertEquals(4, j.get("vision").get("hidden_size").asInt());
        assertEquals("FP8", j.get("quantization").get("method").asText());
        assertEquals(288, j.get("totals").get("bytes").asLong());
        assertEquals(160, j.get("totals").get("byType").get("BF16").get("bytes").asLong());
        assertEquals(128, j.get("totals").get("byModality").get("vision").get("bytes").asLong());
        assertEquals("vision_tower.patch_embed.weight", j.get("tensors").get(1).get("name").asText());
        assertEquals("[4,8]", j.get("tensors").get(1).get("shape").toString());
        assertEquals("local", j.get("origin").get("kind").asText());

        r = run("inspect", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Weights   : 2 tensors, 112 elements, 288 bytes (0.00 GiB)"), r.out());
        assertTrue(r.out().contains("Quantized : FP8 8-bit e4m3"), r.out());
        assertTrue(r.out().contains("  vision_tower.patch_embed.weight  F32"), r.out());
    }

    @Test
    void badInputExitsTwoWithAMessage() throws IOException {
        Path notGguf = Files.writeString(dir.resolve("x.gguf"), "{\"hidden_size\": 1}");
        EstimateCommandTest.Run r = run("inspect", notGguf.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + notGguf + " is not a GGUF file"), r.err());
        model("{\"text_config\": {\"hidden_size\": 8}}");
        r = run("inspect", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nests its text model under text_config, and text_config lacks one of num_hidden_layers"), r.err());
        r = run("inspect", "gpupoor-tests/no-such-model-" + System.nanoTime(), "--offline");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: HF_HUB_OFFLINE is set and gpupoor-tests/no-such-model-"), r.err());
        r = run("inspect", dir.toString(), "--format", "yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format must be table or json, got 'yaml'"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }
}
