package gpupoor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gpupoor.calc.Fit;
import gpupoor.calc.Methods;
import gpupoor.dsl.Dsl;
import org.junit.jupiter.api.Test;

import static gpupoor.cli.EstimateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fit command: every applicable limit as JSON, the engine's answers, clear errors. */
class FitCommandTest {

    @Test
    void allLimitsAreTheEnginesAnswers() throws Exception {
        EstimateCommandTest.Run r = run("fit", "--model", "meta-llama/Llama-2-7b-hf", "--gpu", "rtx-4090",
                "--quant", "gguf-Q4_K_M", "--calc", "gpu-poor");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        var s = Dsl.model("meta-llama/Llama-2-7b-hf").on(Dsl.gpu("rtx-4090")).quant("gguf-Q4_K_M")
                .using(Dsl.GPU_POOR).scenario();
        Fit fit = Fit.of(Methods.GPU_POOR);
        assertEquals(fit.maxContext(s).value().intValue(), json.get("max context").get("value").asInt());
        assertEquals(fit.maxBatch(s).value().intValue(), json.get("max batch").get("value").asInt());
        assertEquals("gguf-Q8_0", json.get("best quantization").get("value").asText());
        assertEquals(1, json.get("fewest GPUs").get("value").asInt());
        JsonNode c = json.get("max context");
        assertTrue(c.get("needed MiB").asDouble() <= c.get("capacity MiB").asDouble());
        assertTrue(c.get("next step needed MiB").asDouble() > c.get("capacity MiB").asDouble());
        assertFalse(json.has("max sequence"));
    }

    @Test
    void oneLimitWithCandidatesOrAMemorySize() throws Exception {
        EstimateCommandTest.Run r = run("fit", "--model", "meta-llama/Llama-2-13b-hf", "--gpu", "rtx-3060",
                "--calc", "gpu-poor", "--limit", "best-quant", "--candidates", "none,bnb-int8,bnb-nf4");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("bnb-nf4", json.get("best quantization").get("value").asText());
        r = run("fit", "--model", "meta-llama/Llama-2-7b-hf", "--cpu", "7950x", "--quant", "Q4_K_M", "--calc",
                "gpu-poor", "--limit", "max-context", "--memory-gib", "32");
        assertEquals(0, r.code(), r.err());
        json = new ObjectMapper().readTree(r.out());
        assertEquals(32 * 1024, json.get("max context").get("capacity MiB").asDouble());
    }

    @Test
    void badInputExitsTwoWithAMessage() {
        EstimateCommandTest.Run r = run("fit", "--model", "7B", "--cpu", "7950x", "--calc", "gpu-poor");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--memory-gib 64"), r.err());
        r = run("fit", "--model", "7B", "--gpu", "rtx-4090", "--limit", "max-contxt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean: max-context"), r.err());
        r = run("fit", "--model", "7B", "--gpu", "rtx-4090", "--mode", "training", "--limit", "max-context");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("max context is for inference"), r.err());
    }

    @Test
    void aFineTuningRecipesLongestSequenceAndLargestBatchAgreeEverywhere() throws Exception {
        // torchtune QLoRA on an RTX 4090 with compile and activation offloading: the CLI, the DSL and the engine
        EstimateCommandTest.Run r = run("fit", "--model", "meta-llama/Llama-3.1-8B", "--gpu", "rtx-4090",
                "--mode", "training", "--method", "qlora", "--framework", "torchtune", "--prompt", "2048", "--compile",
                "--activation-offloading");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        var setup = Dsl.model("meta-llama/Llama-3.1-8B").on(Dsl.gpu("rtx-4090")).finetune("qlora")
                .framework("torchtune").sequence(2048).compile().activationOffloading();
        Fit fit = Fit.of(Methods.DEFAULT);
        int sequence = fit.maxSequence(setup.scenario()).value();
        int batch = fit.maxBatch(setup.scenario()).value();
        assertEquals(sequence, json.get("max sequence").get("value").asInt());
        assertEquals(batch, json.get("max batch").get("value").asInt());
        assertEquals(sequence, Dsl.fits(setup).maxSequence().intValue());
        assertEquals(batch, Dsl.fits(setup).maxBatch().intValue());
        // the recipe matters: without offloading the longest sequence is shorter
        assertTrue(fit.maxSequence(setup.activationOffloading(false).scenario()).value() < sequence);
    }
}
