package gpupoor.cli;

import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.dsl.Setup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static gpupoor.dsl.Dsl.fits;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.gpus;
import static gpupoor.dsl.Dsl.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Combinations a runtime cannot run are refused, and the message names the inputs as the user
 * gave them: the options on the command line, the calls in the DSL.
 */
class InvalidCombinationsTest {

    private static void cliRefuses(String expected, String... args) {
        EstimateCommandTest.Run r = EstimateCommandTest.run(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(!r.err().contains(".kvCache") && !r.err().contains(".framework("), "no DSL calls on the CLI: " + r.err());
    }

    private static void dslRefuses(String expected, Executable call) {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("--"), "no command-line options in the DSL: " + e.getMessage());
    }

    @Test
    void aQuantizedKvCacheOnLlamaCppNeedsFlashAttention() {
        cliRefuses("--kv-cache q8_0 needs --flash-attention on", "estimate", "--model", "meta-llama/Llama-3.1-8B",
                "--quant", "gguf-Q4_K_M", "--kv-cache", "q8_0", "--flash-attention", "off");
        Setup s = model("meta-llama/Llama-3.1-8B").quant("Q4_K_M").kvCache("q8_0").flashAttention(false);
        dslRefuses(".kvCache(\"q8_0\") needs .flashAttention(true)", s::estimate);
        assertTrue(s.flashAttention(true).estimate().memory().kvCacheMiB() > 0, "with flash attention it runs");
        // flash attention is on by default since llama.cpp's PR 15434, off before (a May 2024 build)
        assertEquals(0, EstimateCommandTest.run("estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "gguf-Q4_K_M",
                "--kv-cache", "q8_0").code());
        cliRefuses("--kv-cache q8_0 needs --flash-attention on", "estimate", "--model", "meta-llama/Llama-3.1-8B",
                "--quant", "gguf-Q4_K_M", "--kv-cache", "q8_0", "--runtime-version", "b2795");
    }

    @Test
    void llamaCppHoldsNoFp8Cache() {
        cliRefuses("--kv-cache fp8 is not accepted with --framework llama.cpp; accepted: f16, bf16, f32, q8_0",
                "estimate", "--model", "meta-llama/Llama-3.1-8B", "--quant", "gguf-Q4_K_M", "--kv-cache", "fp8");
        dslRefuses(".kvCache(\"fp8\") is not accepted with .framework(\"llama.cpp\")",
                () -> model("meta-llama/Llama-3.1-8B").quant("Q4_K_M").kvCache("fp8").estimate());
    }

    @Test
    void aKnobOfAnotherRuntimeIsAnError() {
        cliRefuses("--gpu-memory-utilization 0.5 does not apply to Hugging Face transformers (GPU memory utilization "
                + "is a knob of vllm, mlc, tensorrt-llm, sglang)", "estimate", "--model", "meta-llama/Llama-3.1-8B", "--gpu-memory-utilization", "0.5");
        dslRefuses(".gpuMemoryUtilization(0.5) does not apply to Hugging Face transformers",
                () -> model("meta-llama/Llama-3.1-8B").gpuMemoryUtilization(0.5).estimate());
        // the same knob with the runtime that takes it, in either order
        assertTrue(model("meta-llama/Llama-3.1-8B").gpuMemoryUtilization(0.5).framework(Framework.VLLM).on(gpu("rtx-4090"))
                .estimate().estimate().budget().usableMiB() < 0.51 * 24 * 1024);
        cliRefuses("--ubatch 256 does not apply to vLLM", "estimate", "--model", "meta-llama/Llama-3.1-8B", "--framework",
                "vllm", "--ubatch", "256");
    }

    @Test
    void vllmTensorParallelismNeedsACountThatSplitsTheHeads() {
        cliRefuses("vLLM's tensor parallelism splits the 128 attention heads and 8 KV heads evenly, so it cannot run on "
                + "--gpus 7; GPU counts it accepts up to 64: 1, 2, 4, 8, 16, 32, 64", "estimate", "--model",
                "meta-llama/Llama-3.1-405B", "--framework", "vllm", "--gpu", "h100-sxm5-80gb", "--gpus", "7");
        Setup s = model("meta-llama/Llama-3.1-405B").framework(Framework.VLLM);
        dslRefuses("cannot run on .on(gpus(7, ..))", () -> s.on(gpus(7, "h100-sxm5-80gb")).estimate());
        // the fewest GPUs (in the estimate and in the search) only count what vLLM accepts
        int needed = s.on(gpu("h100-sxm5-80gb")).estimate().estimate().gpusNeeded();
        assertEquals(needed, fits(s.on(gpu("h100-sxm5-80gb"))).gpusNeeded().intValue());
        assertTrue(Integer.bitCount(needed) == 1, "a power of two divides 128 and 8 heads: " + needed);
    }
}
