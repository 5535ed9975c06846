package gpupoor.calc;

import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inversions are exact: each answer is re-checked here with {@link Method#estimate} directly,
 * judged by the method's own "GPUs needed" (the original's rule), independently of {@link Fit}.
 */
class FitTest {

    private static final Method M = Methods.GPU_POOR;
    private static final Fit FIT = Fit.of(M);

    private static Scenario inference(String model, Quant q, Framework f, String gpu) {
        return new Scenario(Catalog.get().model(model), q, f, Workload.inference(512, 512),
                Catalog.get().hardware(gpu), 1, null, Options.NONE);
    }

    private static Scenario training(String model, TrainMethod how, String gpu) {
        return new Scenario(Catalog.get().model(model), Quant.NONE, Framework.HF, Workload.training(how, 512),
                Catalog.get().hardware(gpu), 1, null, Options.NONE);
    }

    /** Whether the method itself says the scenario fits on its devices. */
    private static boolean fitsByTheMethod(Scenario s) {
        Estimate e = M.estimate(s);
        return e.gpusNeeded() <= s.deviceCount();
    }

    @ParameterizedTest
    @CsvSource({
        "meta-llama/Llama-2-7b-hf, gguf-Q4_K_M, llama.cpp, rtx-4090",
        "meta-llama/Llama-2-7b-hf, none, hf, rtx-4090",
        "meta-llama/Llama-2-13b-hf, bnb-nf4, hf, rtx-3090",
        "mistralai/Mistral-7B-v0.1, gguf-Q8_0, llama.cpp, a100-sxm4-80gb",
        "meta-llama/Llama-2-70b-hf, gguf-Q2_K, llama.cpp, A100-80GB",
    })
    void maxContextFitsAndOneMoreTokenDoesNot(String model, String quant, String fw, String gpu) {
        Scenario s = inference(model, Quant.parse(quant), Framework.parse(fw), gpu);
        Fit.Result<Integer> r = FIT.maxContext(s);
        assertTrue(r.found(), r.toString());
        int c = r.value();
        assertEquals(c, r.at().scenario().workload().totalTokens());
        assertTrue(fitsByTheMethod(Fit.withContext(s, c)));
        assertFalse(fitsByTheMethod(Fit.withContext(s, c + 1)));
        assertEquals(c + 1, r.beyond().scenario().workload().totalTokens());
        assertTrue(r.at().fits());
        assertFalse(r.beyond().fits());
        assertTrue(r.trials().size() < 64, "a doubling + bisection search needs few estimates: " + r.trials().size());
    }

    @Test
    void maxBatchFitsAndOneMoreDoesNot() {
        Scenario s = inference("meta-llama/Llama-2-7b-hf", Quant.Q4_K_M, Framework.LLAMA_CPP, "rtx-4090");
        Fit.Result<Integer> r = FIT.maxBatch(s);
        int b = r.value();
        assertTrue(b > 1);
        assertTrue(fitsByTheMethod(s.withBatch(b)));
        assertFalse(fitsByTheMethod(s.withBatch(b + 1)));
    }

    @Test
    void maxSequenceForEveryFineTuningMethod() {
        for (TrainMethod how : TrainMethod.values()) {
            Scenario s = training("meta-llama/Llama-2-7b-hf", how, "a100-sxm4-80gb");
            Fit.Result<Integer> r = FIT.maxSequence(s);
            if (!r.found()) {
                assertFalse(fitsByTheMethod(s.withPrompt(1)), how + ": nothing fits only if one token does not");
                continue;
            }
            int n = r.value();
            assertTrue(fitsByTheMethod(s.withPrompt(n)), how.toString());
            assertFalse(fitsByTheMethod(s.withPrompt(n + 1)), how.toString());
        }
    }

    @Test
    void moreEfficientFineTuningFitsLongerSequences() {
        int full = valueOrZero(FIT.maxSequence(training("meta-llama/Llama-2-7b-hf", TrainMethod.FULL, "a100-sxm4-80gb")));
        int lora = valueOrZero(FIT.maxSequence(training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, "a100-sxm4-80gb")));
        int qlora = valueOrZero(FIT.maxSequence(training("meta-llama/Llama-2-7b-hf", TrainMethod.QLORA, "a100-sxm4-80gb")));
        assertTrue(full < lora && lora <= qlora, full + " < " + lora + " <= " + qlora);
    }

    private static int valueOrZero(Fit.Result<Integer> r) {
        return r.found() ? r.value() : 0;
    }

    @Test
    void fewestDevicesHoldItAndOneFewerDoesNot() {
        Scenario s = inference("meta-llama/Llama-2-70b-hf", Quant.NONE, Framework.HF, "rtx-4090");
        Fit.Result<Integer> r = FIT.fewestDevices(s);
        int n = r.value();
        assertTrue(n > 1);
        assertTrue(fitsByTheMethod(s.withDeviceCount(n)));
        assertFalse(fitsByTheMethod(s.withDeviceCount(n - 1)));
        assertEquals(n - 1, r.beyond().scenario().deviceCount());
        // the original's own count agrees: ceil(total / memory of one device)
        assertEquals(M.estimate(s).gpusNeeded(), n);
    }

    @Test
    void oneDeviceIsEnoughHasNoStepBeyond() {
        Scenario s = inference("meta-llama/Llama-2-7b-hf", Quant.Q4_K_M, Framework.LLAMA_CPP, "h100-sxm5-80gb");
        Fit.Result<Integer> r = FIT.fewestDevices(s);
        assertEquals(1, r.value());
        assertNull(r.beyond());
    }

    @Test
    void bestQuantIsTheFirstInQualityOrderThatFits() {
        Scenario s = inference("meta-llama/Llama-2-13b-hf", Quant.Q4_K_M, Framework.LLAMA_CPP, "rtx-3060-12gb");
        Fit.Result<Quant> r = FIT.bestQuant(s);
        assertTrue(r.found());
        Quant best = r.value();
        assertTrue(fitsByTheMethod(s.withQuant(best)));
        List<Quant> order = new ArrayList<>(List.of(Quant.values()));
        order.remove(Quant.FP32);
        for (Quant better : Fit.byQuality(order)) {
            if (better == best) {
                break;
            }
            Estimate e;
            try {
                e = M.estimate(s.withQuant(better));
            } catch (InvalidScenarioException rejected) {
                continue;
            }
            assertTrue(e.memory() == null || e.gpusNeeded() > 1, better + " is better than " + best + " and fits");
        }
        assertNotNull(r.beyond(), "a larger quantization was tried and did not fit");
        assertFalse(r.beyond().fits());
        assertTrue(r.notes().get(0).contains("gguf-F16"), r.notes().toString());
    }

    @Test
    void bestQuantAmongGivenCandidates() {
        Scenario s = inference("meta-llama/Llama-2-7b-hf", Quant.NONE, Framework.HF, "rtx-3060-12gb");
        Fit.Result<Quant> r = FIT.bestQuant(s, List.of(Quant.NONE, Quant.BNB_INT8, Quant.BNB_NF4));
        assertEquals(Quant.BNB_INT8, r.value());
        assertEquals(Quant.NONE, r.beyond().scenario().quant());
    }

    @Test
    void qualityOrderWithinAndAcrossFamilies() {
        assertEquals(List.of(Quant.NONE, Quant.FP8, Quant.BNB_INT8, Quant.GPTQ_INT8, Quant.BNB_NF4, Quant.GPTQ_INT4,
                        Quant.AWQ_INT4),
                Fit.byQuality(List.of(Quant.AWQ_INT4, Quant.BNB_NF4, Quant.GPTQ_INT8, Quant.NONE, Quant.GPTQ_INT4,
                        Quant.BNB_INT8, Quant.FP8)));
        List<Quant> gguf = java.util.Arrays.stream(Quant.values()).filter(Quant::isGguf).toList();
        List<Quant> shuffled = new ArrayList<>(gguf);
        java.util.Collections.reverse(shuffled);
        assertEquals(gguf, Fit.byQuality(shuffled), "GGUF types keep the enum's quality order");
    }

    @Test
    void nothingFitsReportsTheSmallestTry() {
        Scenario s = inference("meta-llama/Llama-2-70b-hf", Quant.NONE, Framework.HF, "rtx-2060");
        Fit.Result<Integer> r = FIT.maxContext(s);
        assertFalse(r.found());
        assertNull(r.at());
        assertEquals(2, r.beyond().scenario().workload().totalTokens());
        assertFalse(FIT.bestQuant(s, List.of(Quant.NONE, Quant.BNB_INT8)).found());
    }

    @Test
    void aSearchStopsAtItsCeilingAndSaysSo() {
        Scenario s = inference("openai-community/gpt2", Quant.NONE, Framework.HF, "rtx-4090");
        Fit.Result<Integer> r = FIT.withDeviceMemoryMiB(1e15).maxContext(s);
        assertEquals(Fit.MAX_TOKENS, r.value());
        assertNull(r.beyond());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("ceiling")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("trained for 1,024 tokens")), r.notes().toString());
    }

    @Test
    void theRuntimesMemoryRuleDecidesWhereTheMethodGivesOne() {
        Scenario mac = inference("meta-llama/Llama-2-7b-hf", Quant.Q4_K_M, Framework.LLAMA_CPP, "m2-max-38c-96gb");
        Fit.Result<Integer> r = Fit.of(Methods.DEFAULT).maxContext(mac);
        assertTrue(r.found(), r.toString());
        assertTrue(r.at().estimate().budget().fits());
        assertFalse(r.beyond().estimate().budget().fits());
        assertFalse(r.beyond().fits());
        double unified = Fit.of(Methods.DEFAULT).capacityMiB(mac);
        assertTrue(r.beyond().neededMiB() < unified, "one token more is still under the unified memory ("
                + r.beyond().neededMiB() + " of " + unified + " MiB): the GPU's wired-memory limit decides");
        assertTrue(r.beyond().runtimeLimit());
        assertEquals(r.beyond().estimate().budget().usableMiB(), r.beyond().capacityMiB(), 1e-9,
                "the capacity shown is what the runtime may use");
        assertTrue(r.at().neededMiB() <= r.at().capacityMiB() && r.beyond().neededMiB() > r.beyond().capacityMiB());
        // a memory size given by hand is judged by the total alone
        Fit.Result<Integer> given = Fit.of(Methods.DEFAULT).withDeviceMemoryMiB(96 * 1024).maxContext(mac);
        assertTrue(given.value() > r.value(), given.value() + " > " + r.value());
        assertTrue(given.beyond().neededMiB() > 96 * 1024);
        assertFalse(given.beyond().runtimeLimit());
        assertEquals(96 * 1024, given.beyond().capacityMiB(), 1e-9);
    }

    @Test
    void contextSplitKeepsGenerationUpToHalf() {
        Scenario s = inference("meta-llama/Llama-2-7b-hf", Quant.NONE, Framework.HF, "rtx-4090");
        Workload w = Fit.withContext(s, 8192).workload();
        assertEquals(7680, w.promptTokens());
        assertEquals(512, w.generateTokens());
        w = Fit.withContext(s, 600).workload();
        assertEquals(300, w.promptTokens());
        assertEquals(300, w.generateTokens());
        assertThrows(InvalidScenarioException.class, () -> Fit.withContext(s, 0));
    }

    @Test
    void capacityComesFromTheDeviceOrIsGiven() {
        Scenario gpu = inference("meta-llama/Llama-2-7b-hf", Quant.NONE, Framework.HF, "a100-sxm4-80gb").withDeviceCount(2);
        assertEquals(2 * 80 * 1024, FIT.capacityMiB(gpu));
        Scenario cpu = new Scenario(Catalog.get().model("meta-llama/Llama-2-7b-hf"), Quant.Q4_K_M, Framework.LLAMA_CPP,
                Workload.inference(512, 512), Catalog.get().hardware("ryzen-9-7950x"), 1, null, Options.NONE);
        assertTrue(Double.isNaN(FIT.capacityMiB(cpu)));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> FIT.maxContext(cpu));
        assertTrue(e.getMessage().contains("ryzen-9-7950x is a CPU"), e.getMessage());
        Fit.Result<Integer> r = FIT.withDeviceMemoryMiB(64 * 1024).maxContext(cpu);
        assertTrue(r.at().neededMiB() <= 64 * 1024 && r.beyond().neededMiB() > 64 * 1024);
        assertThrows(InvalidScenarioException.class, () -> FIT.withDeviceMemoryMiB(-1));
    }

    @Test
    void wrongModeOrDeviceIsAClearError() {
        Scenario inf = inference("meta-llama/Llama-2-7b-hf", Quant.NONE, Framework.HF, "rtx-4090");
        Scenario trn = training("meta-llama/Llama-2-7b-hf", TrainMethod.LORA, "rtx-4090");
        assertTrue(assertThrows(InvalidScenarioException.class, () -> FIT.maxContext(trn)).getMessage()
                .contains("max sequence"));
        assertTrue(assertThrows(InvalidScenarioException.class, () -> FIT.maxSequence(inf)).getMessage()
                .contains("max context"));
        Scenario mac = inf.withDevice(Catalog.get().hardware("m2-max-38c-96gb"));
        assertTrue(assertThrows(InvalidScenarioException.class, () -> FIT.fewestDevices(mac)).getMessage()
                .contains("an Apple chip"));
    }
}
