package gpupoor.dsl;

import gpupoor.calc.Fit;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.TrainMethod;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static gpupoor.dsl.Dsl.GPU_POOR;
import static gpupoor.dsl.Dsl.cpu;
import static gpupoor.dsl.Dsl.fits;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;
import static gpupoor.dsl.Dsl.sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fits(s)}: the DSL's view of the engine's exact searches. */
class FitsTest {

    private static final Setup S = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).quant(Quant.Q4_K_M)
            .using(GPU_POOR);

    @Test
    void eachLimitIsTheEnginesAnswerAndItsSetupFits() {
        Fit engine = Fit.of(GPU_POOR);
        FitResult c = fits(S).maxContext();
        assertEquals(engine.maxContext(S.scenario()).value(), c.intValue());
        Setup at = c.atLimit();
        assertEquals(c.intValue(), at.context());
        assertEquals(Boolean.TRUE, at.estimate().fits());
        assertEquals(Boolean.FALSE, S.context(c.intValue() + 1).estimate().fits());

        FitResult b = fits(S).maxBatch();
        assertEquals(engine.maxBatch(S.scenario()).value(), b.intValue());
        assertEquals(Boolean.TRUE, b.estimate().fits());
        assertEquals(Boolean.FALSE, S.batch(b.intValue() + 1).estimate().fits());

        FitResult q = fits(S).bestQuant();
        assertEquals(engine.bestQuant(S.scenario()).value(), q.quant());
        assertEquals(q.quant(), q.atLimit().quant());

        Setup big = model("meta-llama/Llama-2-70b-hf").on(gpu("rtx-4090")).using(GPU_POOR);
        FitResult g = fits(big).gpusNeeded();
        assertEquals(g.intValue(), g.atLimit().device().count());
        assertEquals(Boolean.TRUE, g.estimate().fits());
        assertEquals(Boolean.FALSE, big.on(gpu("rtx-4090").times(g.intValue() - 1)).estimate().fits());

        Setup lora = S.finetune(TrainMethod.LORA);
        FitResult n = fits(lora).maxSequence();
        assertEquals(engine.maxSequence(lora.scenario()).value(), n.intValue());
        assertEquals(n.intValue(), n.atLimit().workload().promptTokens());
    }

    @Test
    void bestQuantAmongCandidatesGivenBestFirst() {
        Setup s = model("meta-llama/Llama-2-13b-hf").on(gpu("rtx-3060-12gb")).using(GPU_POOR);
        FitResult r = fits(s).bestQuant(Quant.NONE, Quant.BNB_INT8, Quant.BNB_NF4);
        assertEquals(Quant.BNB_NF4, r.quant());
        assertTrue(r.toText().startsWith("best quantization: bnb-nf4 needs"), r.toText());
        assertTrue(r.toText().contains("bnb-int8 would need"), r.toText());
        assertThrows(InvalidScenarioException.class, r::intValue);
    }

    @Test
    void textShowsTheAnswerAndOneStepBeyond() {
        FitResult c = fits(S).maxContext();
        String t = c.toText();
        assertTrue(t.startsWith(String.format("max context: %,d tokens (prompt ", c.intValue())), t);
        assertTrue(t.contains(String.format("%,d tokens", c.intValue() + 1)) && t.contains("would need"), t);
        assertTrue(t.contains("exact search: " + c.result().trials().size() + " estimates"), t);
        assertTrue(c.toHtml().contains("max context"));
        FitResult one = fits(S).bestQuant(Quant.Q4_K_M);
        assertTrue(one.toText().endsWith("exact search: 1 estimate by the gpu-poor method"), one.toText());
    }

    @Test
    void theDefaultMethodsVerdictIsShownAgainstTheMemoryTheRuntimeMayUse() {
        Setup hf = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090"));
        FitResult c = fits(hf).maxContext();
        Fit.Check beyond = c.result().beyond();
        double usable = beyond.estimate().budget().usableMiB();
        assertTrue(usable < 24 * 1024, "the driver keeps some of the card: " + usable);
        assertEquals(usable, beyond.capacityMiB(), 1e-9);
        assertTrue(beyond.neededMiB() > usable && c.result().at().neededMiB() <= usable);
        assertTrue(c.toText().contains(String.format("of %,.0f MiB usable", usable)), c.toText());
        Report r = hf.estimate();
        assertEquals(usable, r.capacityMiB(), 1e-9);
        assertTrue(r.toText().contains(String.format("MiB usable on %s", gpu("rtx-4090").label())), r.toText());
        assertTrue(r.chart().chart().getSeriesMap().containsKey("usable on " + gpu("rtx-4090").label()),
                r.chart().chart().getSeriesMap().keySet().toString());
        assertEquals(usable, sweep(hf).context(1024, 4096).table().doubleColumn("capacity_mib").get(0), 1e-9);
    }

    @Test
    void allLimitsThatApplyAsTextAndTable() {
        Table t = fits(S).table();
        assertEquals(List.of("max context", "max batch", "best quantization", "fewest GPUs"),
                t.stringColumn("limit").asList());
        assertEquals(String.format("%,d", fits(S).maxContext().intValue()), t.stringColumn("value").get(0));
        Table training = fits(S.finetune(TrainMethod.QLORA)).table();
        assertEquals("max sequence", training.stringColumn("limit").get(0));
        String text = fits(S).toText();
        assertEquals(5, text.lines().count(), text);
    }

    @Test
    void nothingFittingIsAnAnswerNotAnError() {
        Setup s = model("meta-llama/Llama-2-70b-hf").on(gpu("rtx-2060")).using(GPU_POOR);
        FitResult r = fits(s).maxContext();
        assertFalse(r.found());
        assertTrue(r.toText().startsWith("max context: nothing fits: even 2 tokens"), r.toText());
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, r::atLimit);
        assertTrue(e.getMessage().contains("nothing fits"));
    }

    @Test
    void aDeviceOrAMemorySizeIsNeeded() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> fits(model("7B").using(GPU_POOR)).maxBatch());
        assertTrue(e.getMessage().contains(".on(gpu(\"rtx-4090\"))"), e.getMessage());
        Setup c = S.on(cpu("7950x"));
        e = assertThrows(InvalidScenarioException.class, () -> fits(c).maxContext());
        assertTrue(e.getMessage().contains("fits(s).memory(64)"), e.getMessage());
        FitResult r = fits(c).memory(64).maxContext();
        assertTrue(r.result().at().neededMiB() <= 64 * 1024);
        assertTrue(r.result().beyond().neededMiB() > 64 * 1024);
        assertEquals(List.of(Limit.MAX_CONTEXT, Limit.MAX_BATCH, Limit.BEST_QUANT), fits(c).applicable());
    }
}
