package gpupoor.dsl;

import gpupoor.calc.Estimate;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Quant;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Uncertainty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static gpupoor.dsl.Dsl.GPU_POOR;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;
import static gpupoor.dsl.Dsl.sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps: the points, their tables (checked point by point against the method), errors, plots, progress and interrupts. */
class SweepTest {

    private static final Setup S = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).quant(Quant.Q4_K_M)
            .using(GPU_POOR);

    @Test
    void oneRowPerPointFirstRangeSlowest() {
        Sweep w = sweep(S).context(512, 4096).quants(Quant.Q8_0, Quant.Q4_K_M).batches(1, 4);
        assertEquals(16, w.size());
        Table t = w.table();
        assertEquals(16, t.rowCount());
        assertEquals(List.of("context_tokens", "quant", "batch", "prompt_tokens", "generate_tokens", "total_mib"),
                t.columnNames().subList(0, 6));
        assertEquals(512, t.intColumn("context_tokens").get(0));
        assertEquals("gguf-Q8_0", t.stringColumn("quant").get(0));
        assertEquals(List.of(1, 4, 1, 4), t.intColumn("batch").asList().subList(0, 4));
        assertEquals(4096, t.intColumn("context_tokens").get(15));
        assertFalse(t.columnNames().contains("ms_per_iteration"), "no fine-tuning time in inference");
        assertFalse(t.columnNames().contains("error"), "no errors");
    }

    @Test
    void everyRowIsTheMethodsEstimateOfThatPoint() {
        Table t = sweep(S).context(512, 16384).quants(Quant.Q8_0, Quant.Q4_K_M, Quant.Q2_K).batches(1, 3).table();
        for (Row r : t) {
            Setup p = S.context(r.getInt("context_tokens")).quant(Quant.parse(r.getString("quant")))
                    .batch(r.getInt("batch"));
            Estimate e = GPU_POOR.estimate(p.scenario());
            assertEquals(e.memory().totalMiB(), r.getDouble("total_mib"));
            assertEquals(e.memory().kvCacheMiB(), r.getDouble("kv_cache_mib"));
            assertEquals(e.speed().tokensPerSecond(), r.getDouble("tokens_per_s"));
            assertEquals(e.speed().tokensPerSecond() * r.getInt("batch"), r.getDouble("throughput_tokens_per_s"));
            assertEquals(e.gpusNeeded() <= 1, r.getBoolean("fits"));
            assertEquals(p.workload().promptTokens(), r.getInt("prompt_tokens"));
            assertEquals(24 * 1024, r.getDouble("capacity_mib"));
        }
    }

    @Test
    void rangesDoubleStepOrList() {
        assertEquals(List.of(500, 1000, 2000, 4000, 5000), sweep(S).context(500, 5000).table()
                .intColumn("context_tokens").asList());
        assertEquals(List.of(1, 4, 7, 10), sweep(S).batch(1, 10, 3).table().intColumn("batch").asList());
        assertEquals(List.of(3, 1, 2), sweep(S).batches(3, 1, 2).table().intColumn("batch").asList());
        assertThrows(InvalidScenarioException.class, () -> sweep(S).context(4096, 512));
        assertThrows(InvalidScenarioException.class, () -> sweep(S).batch(0, 8));
        assertThrows(InvalidScenarioException.class, () -> sweep(S).batch(1, 8, 0));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> sweep(S).context(1, 2000, 1).batch(1, 2000, 1));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void rejectedPointsGetTheirMessageAndTheRestIsComputed() {
        Table t = sweep(S.framework(gpupoor.calc.Framework.LLAMA_CPP)).quants(Quant.NONE, Quant.FP8, Quant.Q4_K_M).table();
        assertEquals(3, t.rowCount());
        assertTrue(t.doubleColumn("total_mib").isMissing(0));
        assertTrue(t.stringColumn("error").get(0).contains("needs a gguf quantization"), t.stringColumn("error").get(0));
        assertTrue(t.stringColumn("error").get(1).contains("does not know quantization 'fp8'"));
        assertFalse(t.doubleColumn("total_mib").isMissing(2));
        assertEquals("", t.stringColumn("error").get(2));
    }

    @Test
    void aSweepSplitAcrossThreadsKeepsEveryPointInItsRowWithItsOwnMessage() {
        // 3 quants x 1,500 contexts: 4,500 points, several chunks of parallel work; each message first
        // appears in a different chunk, and rows must come out in the order of the points.
        Setup llama = S.framework(gpupoor.calc.Framework.LLAMA_CPP);
        Table t = sweep(llama).quants(Quant.Q4_K_M, Quant.NONE, Quant.FP8).context(1000, 1000 + 1499 * 7, 7).table();
        assertEquals(4500, t.rowCount());
        for (int i = 0; i < t.rowCount(); i += 97) {
            Quant q = List.of(Quant.Q4_K_M, Quant.NONE, Quant.FP8).get(i / 1500);
            int context = 1000 + (i % 1500) * 7;
            assertEquals(context, t.intColumn("context_tokens").get(i));
            Table one = sweep(llama.quant(q)).contexts(context).table();
            String error = one.columnNames().contains("error") ? one.stringColumn("error").get(0) : "";
            assertEquals(error, t.stringColumn("error").get(i), "row " + i);
            assertEquals(one.doubleColumn("total_mib").getDouble(0), t.doubleColumn("total_mib").getDouble(i), "row " + i);
        }
        assertEquals("", t.stringColumn("error").get(1499));
        assertTrue(t.stringColumn("error").get(1500).contains("needs a gguf quantization"));
        assertTrue(t.stringColumn("error").get(4499).contains("does not know quantization 'fp8'"));
    }

    @Test
    void conflictingOrMisplacedRangesAreClearErrors() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> sweep(S).context(512, 4096).prompts(100, 200));
        assertTrue(e.getMessage().contains("already varies prompt"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class, () -> sweep(S).sequence(512, 4096).table());
        assertTrue(e.getMessage().contains("finetune(LORA)"), e.getMessage());
        Table t = sweep(S).finetunes(TrainMethod.LORA, TrainMethod.QLORA).sequence(512, 1024).ranks(8, 16).table();
        assertEquals(8, t.rowCount());
        assertTrue(t.columnNames().contains("ms_per_iteration"));
        e = assertThrows(InvalidScenarioException.class, () -> sweep(S).gpus("rtx-4090", "ryzen-9-7950x"));
        assertTrue(e.getMessage().contains("cpu(\"ryzen-9-7950x\")"), e.getMessage());
    }

    @Test
    void gpusKeepTheSetupsCountAndGpuCountsVaryIt() {
        Table t = sweep(S.on(Dsl.gpus(2, "rtx-3090"))).gpus("rtx-4090", "a100-sxm4-80gb").table();
        assertEquals(List.of("rtx-4090", "a100-sxm4-80gb"), t.stringColumn("device").asList());
        assertEquals(List.of(2 * 24576.0, 2 * 81920.0), t.doubleColumn("capacity_mib").asList());
        t = sweep(S).gpus("rtx-4090").gpuCounts(1, 2, 4).table();
        assertEquals(List.of(24576.0, 49152.0, 98304.0), t.doubleColumn("capacity_mib").asList());
    }

    @Test
    void anInterruptStopsALargeSweepPromptly() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                sweep(S).context(2, 1_000_001, 1).batches(1, 2).table();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        PrintStream out = System.out;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setOut(new PrintStream(progress, true));
        long stoppedMs;
        try {
            t.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!progress.toString().contains("% (") && t.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long t0 = System.nanoTime();
            t.interrupt();
            t.join(10_000);
            stoppedMs = (System.nanoTime() - t0) / 1_000_000;
        } finally {
            System.setOut(out);
        }
        assertFalse(t.isAlive(), "the sweep kept running after the interrupt");
        assertTrue(stoppedMs < 2000, "stopped " + stoppedMs + " ms after the interrupt");
        assertInstanceOf(CancellationException.class, thrown.get());
        assertTrue(thrown.get().getMessage().matches("sweep interrupted after [\\d,]+ of 2,000,000 points"),
                thrown.get().getMessage());
    }

    @Test
    void smallSweepsShowNoProgress() {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            sweep(S).context(2, 1001, 1).table();
        } finally {
            System.setOut(out);
        }
        assertEquals("", buffer.toString());
    }

    @Test
    void memoryPlotsHaveOneCurvePerQuantAndTheCapacity() {
        Plot p = sweep(S).context(512, 131072).quants(Quant.Q8_0, Quant.Q4_K_M).plot(Metric.MEMORY);
        XYChart c = (XYChart) p.chart();
        assertEquals(List.of("likely range (8 in 10)", "gguf-Q8_0", "likely range (8 in 10) · gguf-Q4_K_M", "gguf-Q4_K_M",
                "GeForce RTX 4090: 24 GiB"), new ArrayList<>(c.getSeriesMap().keySet()));
        assertTrue(c.getXAxisTitle().contains("log scale"));
        assertEquals("memory (GiB)", c.getYAxisTitle());
        assertTrue(p.title().startsWith("Memory vs context · Llama-2-7b-hf"), p.title());
        assertEquals(17, c.getSeriesMap().get("gguf-Q8_0").getXData().length > 0 ? 17 : 0);
    }

    @Test
    void aSingleMemoryCurveIsStackedByComponent() {
        XYChart c = (XYChart) sweep(S).context(512, 8192).plot(Metric.MEMORY).chart();
        assertEquals(List.of("overhead", "activations", "KV cache", "weights", "likely range (8 in 10)",
                "GeForce RTX 4090: 24 GiB"), new ArrayList<>(c.getSeriesMap().keySet()));
        double[] top = c.getSeriesMap().get("overhead").getYData();
        Table t = sweep(S).context(512, 8192).table();
        assertEquals(t.doubleColumn("total_mib").get(2) / 1024, top[2], 1e-9, "the top band is the total");
    }

    @Test
    void curvesAreShadedWithTheRangeOfTheirBand() {
        XYChart c = (XYChart) sweep(S).context(512, 8192).quants(Quant.Q8_0, Quant.Q4_K_M).plot(Metric.TOKENS_PER_SECOND)
                .chart();
        XYSeries band = c.getSeriesMap().get("likely range (8 in 10)");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle());
        double[] y = c.getSeriesMap().get("gguf-Q8_0").getYData();
        double[] edge = band.getYData();
        assertEquals(2 * y.length, edge.length, "the high edge forward, the low edge back");
        Report r = S.quant(Quant.Q8_0).estimate();
        Uncertainty.Range range = r.range(Metric.TOKENS_PER_SECOND);
        for (int j = 0; j < y.length; j++) {
            assertEquals(range.high() / range.value(), edge[j] / y[j], 1e-9, "high at point " + j);
            assertEquals(range.low() / range.value(), edge[edge.length - 1 - j] / y[j], 1e-9, "low at point " + j);
        }
        assertFalse(c.getSeriesMap().get("likely range (8 in 10) · gguf-Q4_K_M").isShowInLegend());
    }

    @Test
    void everyRowHasTheRangesAndVerdictOfItsReport() {
        Setup s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Quant.Q4_K_M);
        Table t = sweep(s).context(1024, 524288).table();
        List<String> verdicts = new ArrayList<>();
        for (Row r : t) {
            Report report = s.context(r.getInt("context_tokens")).estimate();
            Uncertainty.Range memory = report.range(Metric.MEMORY);
            assertEquals(memory.low(), r.getDouble("total_low_mib"), 1e-9);
            assertEquals(memory.high(), r.getDouble("total_high_mib"), 1e-9);
            Uncertainty.Range tokens = report.range(Metric.TOKENS_PER_SECOND);
            assertEquals(tokens.low(), r.getDouble("tokens_per_s_low"), 1e-9);
            assertEquals(tokens.high(), r.getDouble("tokens_per_s_high"), 1e-9);
            assertEquals(report.verdict(), r.getString("verdict"));
            verdicts.add(r.getString("verdict"));
        }
        // from 1k to 512k tokens of context (a 64 GiB KV cache) an 8B model goes from fitting a 24 GB card to not,
        // even with the wide default band (the measured total between 1/1.5 and 1.5 times the estimate)
        assertEquals("fits", verdicts.get(0), verdicts.toString());
        assertEquals("does not fit", verdicts.get(verdicts.size() - 1), verdicts.toString());
    }

    @Test
    void namedRangesPlotAsBars() {
        CategoryChart c = (CategoryChart) sweep(S).gpus("rtx-3090", "rtx-4090", "a100-sxm4-80gb").plot(Metric.MEMORY).chart();
        assertEquals(List.of("memory needed", "device memory"), new ArrayList<>(c.getSeriesMap().keySet()));
        assertEquals(List.of(24.0, 24.0, 80.0), c.getSeriesMap().get("device memory").getYData());
        CategoryChart tps = (CategoryChart) sweep(S).gpus("rtx-3090", "rtx-4090").plot(Metric.TOKENS_PER_SECOND).chart();
        assertEquals(1, tps.getSeriesMap().size());
    }

    @Test
    void plotsWithoutDataOrRangesSayWhy() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> sweep(S).plot(Metric.MEMORY));
        assertTrue(e.getMessage().contains("needs a swept parameter"), e.getMessage());
        e = assertThrows(InvalidScenarioException.class,
                () -> sweep(S).batch(1, 8).plot(Metric.MS_PER_ITERATION));
        assertTrue(e.getMessage().contains("nothing to plot"), e.getMessage());
    }

    @Test
    void limitAtEveryPointAgreesWithFits(@TempDir Path dir) throws Exception {
        LimitSweep l = sweep(S).quants(Quant.Q8_0, Quant.Q4_K_M, Quant.Q2_K).limit(Limit.MAX_CONTEXT);
        Table t = l.table();
        assertEquals(3, t.rowCount());
        List<Integer> values = t.intColumn("max_context_tokens").asList();
        for (int i = 0; i < 3; i++) {
            Quant q = Quant.parse(t.stringColumn("quant").get(i));
            assertEquals(Dsl.fits(S.quant(q)).maxContext().intValue(), values.get(i));
        }
        assertTrue(values.get(0) < values.get(1) && values.get(1) < values.get(2), values.toString());
        Path png = l.plot().save(dir.resolve("limits.png").toString());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void plotsSaveAsPngOrSvg(@TempDir Path dir) throws Exception {
        Plot p = sweep(S).batch(1, 64).plot(Metric.THROUGHPUT);
        byte[] png = Files.readAllBytes(p.save(dir.resolve("a.png").toString()));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        String svg = Files.readString(p.save(dir.resolve("a.svg").toString()));
        assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
        assertTrue(p.toHtml().startsWith("<img ") && p.toHtml().contains(" alt=\"Throughput vs batch"), p.toHtml().substring(0, 80));
        assertTrue(p.toText().contains("throughput_tokens_per_s"));
    }
}
