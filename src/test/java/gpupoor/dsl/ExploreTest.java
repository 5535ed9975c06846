package gpupoor.dsl;

import gpupoor.calc.Framework;
import gpupoor.calc.Quant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static gpupoor.dsl.Dsl.explore;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** explore(..): the controls make the setup, every change redraws, a refused combination shows its message. */
class ExploreTest {

    private static Explore llama() {
        return explore(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Quant.Q4_K_M).context(4096));
    }

    @Test
    void startsFromTheSetupAndShowsItsEstimateAndLimits() {
        Explore x = llama();
        Report direct = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Quant.Q4_K_M).context(4096).estimate();
        assertEquals(direct.totalMiB(), x.report().totalMiB(), 1e-9);
        assertEquals("gguf-Q4_K_M", x.quant().value());
        assertEquals("rtx-4090", x.device().value());
        assertEquals(4096, x.context().value());
        int maxContext = new Fits(direct.setup()).maxContext().intValue();
        assertTrue(x.html().contains("max context: " + Format.count(maxContext) + " tokens"), x.html());
        assertTrue(x.html().contains("max batch: "), x.html());
        assertTrue(x.html().contains("tokens/s"), x.html());
        assertTrue(x.html().contains("<img"), "the memory chart");
    }

    @Test
    void movingAControlRedrawsWithTheNewEstimate() {
        Explore x = llama();
        double before = x.report().totalMiB();
        String html = x.html();
        x.batch().value(16);
        assertEquals(16, x.setup().workload().batch());
        assertTrue(x.report().totalMiB() > before, "a larger batch holds a larger KV cache");
        assertTrue(!x.html().equals(html));
        x.context().value(32768);
        assertEquals(32768, x.setup().context());
        x.device().value("h100-sxm5-80gb");
        x.count().value(2);
        assertEquals(2, x.setup().device().count());
        x.runtime().value("vllm");
        x.quant().value("none");
        x.gpuMemoryUtilization().value(0.8);
        assertEquals(Framework.VLLM, x.setup().framework());
        assertEquals(0.8, x.setup().options().gpuMemoryUtilization(), 1e-9);
        x.finetune().value("lora");
        assertNull(x.report(), "vLLM does not fine-tune");
        assertTrue(x.message().contains("vllm"), x.message());
        x.runtime().value("auto");
        x.rank().value(64);
        assertTrue(x.setup().isTraining());
        assertEquals(64, x.setup().workload().loraRank());
    }

    @Test
    void aCombinationTheEngineRefusesShowsItsMessageAndTheControlsStayUsable() {
        Explore x = llama();
        x.kvCache().value("fp8"); // llama.cpp holds no fp8 cache (issue 10)
        assertNull(x.report());
        assertNotNull(x.message());
        assertTrue(x.message().contains(".kvCache(\"fp8\")"), x.message());
        assertTrue(x.html().contains("gpupoor-explore-error"));
        x.kvCache().value("q8_0");
        x.flashAttention().value("on");
        assertNull(x.message(), x.message());
        assertNotNull(x.report());
    }

    @Test
    void everyRuntimeModeAndKnobGivesAnEstimateOrAMessageNeverAnException() {
        Explore x = explore(model("Qwen/Qwen2.5-7B-Instruct").on(gpu("rtx-4090")));
        List<String> refused = new ArrayList<>();
        for (String mode : x.finetune().options()) {
            x.finetune().value(mode);
            for (String runtime : x.runtime().options()) {
                x.runtime().value(runtime);
                for (String kv : List.of(Explore.RUNTIME_DEFAULT, "fp8")) {
                    x.kvCache().value(kv);
                    for (String quant : List.of("none", "gguf-Q4_K_M")) {
                        x.quant().value(quant);
                        assertTrue(x.report() != null ^ x.message() != null);
                        if (x.message() != null) {
                            assertTrue(!x.message().isBlank() && !x.message().contains("Exception"), x.message());
                            refused.add(x.message());
                        }
                    }
                }
            }
        }
        assertTrue(!refused.isEmpty(), "some combinations are refused (e.g. an inference-only runtime when fine-tuning)");
    }

    @Test
    void withoutAWidgetFrontEndItPrintsWhatItWouldShowWithANote() {
        Explore x = llama();
        String text = x.toString();
        assertTrue(text.startsWith("explore: context 4,096 · batch 1 · quant gguf-Q4_K_M · device rtx-4090"), text);
        assertTrue(text.contains(Format.count(Math.round(x.report().totalMiB()))), text);
        assertTrue(text.contains("max context: "), text);
        assertTrue(text.contains("no widget front end here"), text);
    }
}
