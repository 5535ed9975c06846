package gpupoor.calc;

import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Framework ids and the runtime a scenario gets when none is given. */
class FrameworkTest {

    @Test
    void defaultIsLlamaCppForGgufAndForInferenceOffTheGpu() {
        Hardware gpu = Catalog.get().hardware("rtx-4090");
        Hardware cpu = Catalog.get().hardware("ryzen-9-7950x");
        Hardware mac = Catalog.get().hardware("m2-max-38c-96gb");
        assertEquals(Framework.HF, Framework.defaultFor(Quant.NONE, null, Mode.INFERENCE));
        assertEquals(Framework.HF, Framework.defaultFor(null, gpu, null));
        assertEquals(Framework.HF, Framework.defaultFor(Quant.BNB_NF4, gpu, Mode.INFERENCE));
        assertEquals(Framework.LLAMA_CPP, Framework.defaultFor(Quant.Q4_K_M, null, Mode.INFERENCE));
        assertEquals(Framework.LLAMA_CPP, Framework.defaultFor(Quant.Q4_K_M, gpu, Mode.INFERENCE));
        assertEquals(Framework.LLAMA_CPP, Framework.defaultFor(Quant.NONE, cpu, Mode.INFERENCE));
        assertEquals(Framework.LLAMA_CPP, Framework.defaultFor(Quant.NONE, mac, null));
        assertEquals(Framework.HF, Framework.defaultFor(Quant.NONE, cpu, Mode.TRAINING), "fine-tuning runs on PyTorch");
        assertEquals(Framework.HF, Framework.defaultFor(Quant.NONE, mac, Mode.TRAINING));
    }

    @Test
    void parseAcceptsAliasesAndSuggests() {
        assertEquals(Framework.LLAMA_CPP, Framework.parse("LlamaCpp"));
        assertEquals(Framework.HF, Framework.parse("transformers"));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Framework.parse("vlm"));
        assertTrue(e.getMessage().contains("did you mean") && e.getMessage().contains("vllm"), e.getMessage());
    }
}
