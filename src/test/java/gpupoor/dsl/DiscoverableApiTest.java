package gpupoor.dsl;

import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static gpupoor.calc.Quant.Q4_K_M;
import static gpupoor.calc.TrainMethod.LORA;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;
import static gpupoor.dsl.Dsl.sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results' short accessors, the tables' column errors and the sweep axes for runtime knobs. */
class DiscoverableApiTest {

    private static final Setup S = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M).prompt(1024)
            .generate(256);

    @Test
    void aReportAnswersWithTheEstimatesNumbers() {
        Report r = S.estimate();
        Estimate e = Methods.DEFAULT.estimate(S.scenario());
        assertEquals(e.memory().totalMiB(), r.totalMiB());
        assertEquals(e.memory().totalMiB() / 1024, r.totalGiB(), 1e-9);
        assertEquals(e.memory().kvCacheMiB(), r.kvCacheMiB());
        assertEquals(e.memory().weightsMiB(), r.weightsMiB());
        assertEquals(e.speed().tokensPerSecond(), r.tokensPerSecond());
        assertEquals(e.speed().msPerToken(), r.msPerToken());
        assertEquals(e.speed().promptSeconds(), r.promptSeconds());
        assertEquals(1, r.gpusNeeded());
        InvalidScenarioException noTraining = assertThrows(InvalidScenarioException.class, r::msPerIteration);
        assertTrue(noTraining.getMessage().contains(".finetune(LORA)"), noTraining.getMessage());
        Report lora = model("meta-llama/Llama-3.1-8B").finetune(LORA).on(gpu("a100-sxm4-80gb")).estimate();
        assertTrue(lora.msPerIteration() > 0);
        InvalidScenarioException noSpeed = assertThrows(InvalidScenarioException.class, lora::tokensPerSecond);
        assertTrue(noSpeed.getMessage().contains("msPerIteration()"), noSpeed.getMessage());
        assertEquals(0, model("7B").estimate().gpusNeeded(), "no GPU, no count");
    }

    @Test
    void anUnknownColumnListsTheColumns() {
        Table t = sweep(S).context(1024, 4096).table();
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> t.selectColumns("gpu_count"));
        assertTrue(e.getMessage().contains("no column 'gpu_count'") && e.getMessage().contains("context_tokens")
                && e.getMessage().contains("total_mib"), e.getMessage());
        assertThrows(InvalidScenarioException.class, () -> t.doubleColumn("tota_mib"));
        assertEquals(List.of("context_tokens", "total_mib"), t.selectColumns("context_tokens", "total_mib").columnNames());
        InvalidScenarioException report = assertThrows(InvalidScenarioException.class, () -> S.estimate().table().column("mibs"));
        assertTrue(report.getMessage().contains("did you mean: mib"), report.getMessage());
    }

    @Test
    void sweepsVaryTheRuntimesKnobs() {
        Table flash = sweep(S.prompt(16000)).flashAttention(false, true).table();
        assertEquals(List.of("off", "on"), flash.stringColumn("flash_attention").asList());
        double off = flash.doubleColumn("total_mib").get(0);
        double on = flash.doubleColumn("total_mib").get(1);
        assertTrue(on < off, "flash attention keeps no score matrix: " + on + " vs " + off);
        Table kv = sweep(S.flashAttention(true)).kvCaches("f16", "q8_0", "q4_0").table();
        List<Double> cache = kv.doubleColumn("kv_cache_mib").asList();
        assertTrue(cache.get(0) > cache.get(1) && cache.get(1) > cache.get(2), cache.toString());
        Table layers = sweep(S).gpuLayers(0, 16, -1).table();
        assertEquals(3, layers.rowCount());
        // llama.cpp's current release turns flash attention on by itself; turned off, a quantized cache is refused
        Table rejected = sweep(S.flashAttention(false)).kvCaches("q8_0").table();
        assertTrue(rejected.stringColumn("error").get(0).contains(".flashAttention(true)"), rejected.print());
    }
}
