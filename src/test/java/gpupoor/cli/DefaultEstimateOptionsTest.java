package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default method's runtime options on the command line, --explain, and their errors. */
class DefaultEstimateOptionsTest {

    private static JsonNode json(EstimateCommandTest.Run r) throws IOException {
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void explainShowsTheBudgetAndTheAssumptions() throws IOException {
        JsonNode j = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--framework", "vllm",
                "--gpu", "rtx-4090", "--prompt", "4000", "--gen", "1000", "--batch", "32", "--explain"));
        JsonNode b = j.get("budget");
        // the pool holds fewer than the 32 sequences asked for: vLLM would queue some, so it does not run as asked
        assertFalse(b.get("fits").asBoolean());
        assertEquals(0.9 * 24 * 1024 * (1 - 0.013), b.get("usable MiB per device").asDouble(), 0.1);
        assertTrue(b.get("max concurrent sequences").asInt() < 32);
        assertEquals(b.get("max concurrent sequences").asInt(), j.get("Max concurrency").asInt());
        assertTrue(j.get("notes").get(0).asText().contains("would queue"));
        assertTrue(j.get("assumptions").toString().contains("131072 bytes per token"));
    }

    @Test
    void kvCacheTypeAndUtilizationChangeTheBudget() throws IOException {
        JsonNode f16 = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--framework", "vllm",
                "--gpu", "a100-sxm4-80gb", "--explain"));
        JsonNode fp8 = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--framework", "vllm",
                "--gpu", "a100-sxm4-80gb", "--kv-cache", "fp8", "--gpu-memory-utilization", "0.95", "--explain"));
        assertTrue(fp8.get("budget").get("max concurrent sequences").asInt()
                > 2 * f16.get("budget").get("max concurrent sequences").asInt());
    }

    @Test
    void llamaCppOffloadAndUbatch() throws IOException {
        JsonNode all = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "Q4_K_M",
                "--gpu", "rtx-3060-12gb"));
        JsonNode part = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "Q4_K_M",
                "--gpu", "rtx-3060-12gb", "--gpu-layers", "10", "--ubatch", "256", "--flash-attention", "on"));
        assertTrue(part.get("memory").get("Model Size").asDouble() < all.get("memory").get("Model Size").asDouble() / 2);
        assertTrue(part.get("speed").get("Token per second").asDouble() < all.get("speed").get("Token per second").asDouble());
    }

    @Test
    void badOptionsSayWhatIsAccepted() {
        EstimateCommandTest.Run kv = EstimateCommandTest.run("estimate", "--model", "7B", "--kv-cache", "q8");
        assertEquals(2, kv.code());
        assertTrue(kv.err().contains("unknown KV cache type 'q8'") && kv.err().contains("q8_0"), kv.err());
        EstimateCommandTest.Run vllmQ = EstimateCommandTest.run("estimate", "--model", "7B", "--framework", "vllm",
                "--kv-cache", "q4_0");
        assertEquals(2, vllmQ.code());
        assertTrue(vllmQ.err().contains("--kv-cache q4_0 is not accepted with --framework vllm; accepted: f16, bf16, fp8"),
                vllmQ.err());
        EstimateCommandTest.Run util = EstimateCommandTest.run("estimate", "--model", "7B", "--gpu-memory-utilization", "1.5");
        assertEquals(2, util.code());
        assertTrue(util.err().contains("--gpu-memory-utilization 1.5: GPU memory utilization must be a number above 0 and at most 1"), util.err());
        EstimateCommandTest.Run targets = EstimateCommandTest.run("estimate", "--model", "7B", "--mode", "training",
                "--method", "lora", "--lora-targets", "q,vv");
        assertEquals(2, targets.code());
        assertTrue(targets.err().contains("unknown LoRA target 'vv'"), targets.err());
        EstimateCommandTest.Run par = EstimateCommandTest.run("estimate", "--model", "7B", "--parallelism", "pipe");
        assertEquals(2, par.code());
        assertTrue(par.err().contains("accepted: tensor, layer, data, sharded"), par.err());
        EstimateCommandTest.Run layers = EstimateCommandTest.run("estimate", "--model", "7B", "--gpu-layers", "-3");
        assertEquals(2, layers.code());
        assertFalse(layers.err().contains("Exception"), layers.err());
    }

    @Test
    void trainingOptions() throws IOException {
        JsonNode mixed = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--mode", "training",
                "--prompt", "512"));
        JsonNode bf16 = json(EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--mode", "training",
                "--prompt", "512", "--precision", "bf16", "--optimizer", "adam-8bit"));
        assertTrue(bf16.get("memory").get("Grad & Optimizer memory").asDouble()
                < mixed.get("memory").get("Grad & Optimizer memory").asDouble() / 3);
    }
}
