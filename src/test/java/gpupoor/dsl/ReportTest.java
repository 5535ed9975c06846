package gpupoor.dsl;

import gpupoor.calc.Estimate;
import gpupoor.calc.Framework;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.calc.Quant;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.Uncertainty;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static gpupoor.dsl.Dsl.DEFAULT;
import static gpupoor.dsl.Dsl.GPU_POOR;
import static gpupoor.dsl.Dsl.compare;
import static gpupoor.dsl.Dsl.fits;
import static gpupoor.dsl.Dsl.gpu;
import static gpupoor.dsl.Dsl.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reports and comparisons: the numbers they show are the method's, and they render as text, HTML and PNG. */
class ReportTest {

    private static final Setup S = model("meta-llama/Llama-2-7b-hf").on(gpu("rtx-4090")).prompt(500).generate(500)
            .using(GPU_POOR);

    @Test
    void textShowsTheBreakdownVerdictAndSpeed() {
        Report r = S.estimate();
        String t = r.toText();
        assertTrue(t.startsWith(S.toText()), t);
        assertTrue(t.contains(String.format("%,.0f", r.memory().totalMiB())), t);
        assertTrue(t.contains("fits: needs"), t);
        assertTrue(t.contains("speed: " + Format.number(r.speed().tokensPerSecond()) + " tokens/s per sequence"), t);
        String big = model("meta-llama/Llama-2-70b-hf").on(gpu("rtx-4090")).using(GPU_POOR).estimate().toText();
        assertTrue(big.contains("does not fit") && big.contains("7 of these GPUs would hold it"), big);
        String none = model("7B").using(GPU_POOR).estimate().toText();
        assertTrue(none.contains("no device"), none);
    }

    @Test
    void everyFigureHasTheRangeOfItsBand() {
        Setup s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).framework(Framework.LLAMA_CPP).quant(Quant.Q4_K_M)
                .batch(4);
        Report r = s.estimate();
        Uncertainty.Range memory = r.range(Metric.MEMORY);
        ErrorBand b = memory.band();
        assertEquals("mem_inference", b.cls().metric());
        assertEquals(r.totalMiB() / (1 + b.p90()), memory.low(), 1e-6);
        assertEquals(r.totalMiB() / (1 + b.p10()), memory.high(), 1e-6);
        Uncertainty.Range tokens = r.range(Metric.TOKENS_PER_SECOND);
        assertEquals("decode_tok_s · llama.cpp · gpu-gddr · 1 device", tokens.band().cls().label());
        assertEquals(4 * tokens.high(), r.range(Metric.THROUGHPUT).high(), 1e-9);
        assertEquals(1000 / tokens.low(), r.range(Metric.MS_PER_TOKEN).high(), 1e-6);
        String text = r.toText();
        assertTrue(text.contains("tokens/s per sequence (likely " + Format.number(tokens.low()) + "–"
                + Format.number(tokens.high()) + ")"), text);
        assertTrue(r.toHtml().contains("(likely "), r.toHtml());
        InvalidScenarioException count = assertThrows(InvalidScenarioException.class, () -> r.range(Metric.GPUS_NEEDED));
        assertTrue(count.getMessage().startsWith("GPUS_NEEDED is a count and has no range"), count.getMessage());
        InvalidScenarioException noDevice = assertThrows(InvalidScenarioException.class,
                () -> model("meta-llama/Llama-3.1-8B").estimate().range(Metric.TOKENS_PER_SECOND));
        assertTrue(noDevice.getMessage().contains("give a device"), noDevice.getMessage());
        String none = model("meta-llama/Llama-3.1-8B").estimate().toText();
        assertTrue(none.contains("in all, likely "), none);
    }

    @Test
    void atTheLongestContextThatFitsTheVerdictIsMayNotFit() {
        Setup s = model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090"));
        Report atLimit = fits(s).maxContext().atLimit().estimate();
        assertEquals(Boolean.TRUE, atLimit.fits());
        assertEquals("may not fit", atLimit.verdict(), atLimit.toText());
        assertTrue(atLimit.toText().contains("may not fit: needs "), atLimit.toText());
        // far from the limit either way, whatever band the bundled measurements give (the wide default at most 1.5x)
        assertEquals("fits", s.quant("gguf-Q4_K_M").estimate().verdict());
        assertEquals("does not fit", model("meta-llama/Llama-3.1-70B").on(gpu("rtx-4090")).estimate().verdict());
        assertEquals(null, model("meta-llama/Llama-3.1-8B").estimate().verdict());
    }

    @Test
    void anUnmeasuredClassSaysItsRangeIsTheWideDefault() {
        Report r = model("meta-llama/Llama-3.1-8B").on(gpu("h100-sxm5-80gb")).framework(Framework.VLLM).estimate();
        Uncertainty.Range tokens = r.range(Metric.TOKENS_PER_SECOND);
        assertTrue(tokens.band().isDefault());
        assertTrue(r.toText().contains("range: no bundled measurement of decode_tok_s · vllm · gpu-hbm · 1 device: a wide "
                + "default band"), r.toText());
    }

    @Test
    void tableRowsAddUpToTheTotal() {
        Report r = S.estimate();
        Table t = r.table();
        assertEquals("total", t.stringColumn("component").get(t.rowCount() - 1));
        double parts = 0;
        for (int i = 0; i < t.rowCount() - 1; i++) {
            parts += t.doubleColumn("mib").get(i);
        }
        assertEquals(r.memory().totalMiB(), parts, 1e-6);
        assertEquals(r.memory().totalMiB(), t.doubleColumn("mib").get(t.rowCount() - 1));
    }

    @Test
    void htmlEmbedsTheTableAndAStackedBarAsPng() throws Exception {
        String html = S.estimate().toHtml();
        assertTrue(html.contains("<table") && html.contains("<td>weights</td>"), html);
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        assertTrue(m.find());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(img);
        assertEquals(600, img.getWidth());
        CategoryChart c = (CategoryChart) S.estimate().chart().chart();
        assertEquals(List.of("weights", "KV cache", "activations", "overhead", "GeForce RTX 4090"),
                new ArrayList<>(c.getSeriesMap().keySet()));
    }

    @Test
    void trainingReportsShowTimePerIteration() {
        Report r = S.finetune(TrainMethod.LORA).sequence(1024).batch(2).estimate();
        assertNotNull(r.training());
        Uncertainty.Range likely = r.range(Metric.MS_PER_ITERATION);
        assertTrue(r.toText().contains(String.format("fine-tuning: %,.0f ms per iteration (likely %s–%s; batch of 2",
                r.training().msPerIteration(), Format.number(likely.low()), Format.number(likely.high()))), r.toText());
    }

    @Test
    void reportsWithoutMemorySayWhy() {
        Report r = S.framework(gpupoor.calc.Framework.LLAMA_CPP).estimate();
        assertEquals(null, r.memory());
        assertTrue(r.toText().contains("note: memory: the original's memory calculator needs a gguf quantization"),
                r.toText());
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, r::table);
        assertTrue(e.getMessage().contains("gives no memory breakdown"), e.getMessage());
    }

    @Test
    void comparisonPutsEachMethodsNumbersSideBySide() {
        Setup s = S.quant(Quant.BNB_NF4);
        Comparison c = compare(s, GPU_POOR, DEFAULT);
        Table t = c.table();
        assertEquals(List.of("quantity", "gpu-poor", "default"), t.columnNames());
        Estimate original = Methods.GPU_POOR.estimate(s.scenario());
        Estimate ours = Methods.DEFAULT.estimate(s.scenario());
        assertEquals("total (MiB)", t.stringColumn("quantity").get(0));
        assertEquals(original.memory().totalMiB(), t.doubleColumn("gpu-poor").get(0));
        assertEquals(ours.memory().totalMiB(), t.doubleColumn("default").get(0));
        assertEquals(2, ((CategoryChart) c.chart().chart()).getSeriesMap().values().iterator().next().getXData().size());
        assertEquals(Methods.all().size(), compare(s).methods().size());
    }

    @Test
    void aMethodThatRejectsTheSetupIsNamedInTheComparison() {
        Setup s = S.quant(Quant.FP8);
        Table t = compare(s, GPU_POOR).table();
        assertTrue(t.name().contains("gpu-poor: the gpu-poor method (the original calculator) does not know"), t.name());
        assertThrows(InvalidScenarioException.class, () -> compare(s, GPU_POOR).chart());
    }

    /** Issue 15: notebook 01's Apple example, where the device's long name ran off the chart. */
    @Test
    void aLongDeviceNameStaysInsideTheChartAndInFullInTheTable() throws Exception {
        Report r = model("Qwen/Qwen3-30B-A3B-Instruct-2507").quant(Quant.Q4_K_M)
                .on(Dsl.apple("m1-ultra-64c-128gb")).estimate();
        Plot p = r.chart();
        String full = p.title();
        String device = r.setup().device().label();
        assertTrue(full.endsWith(device), full);
        java.awt.Font font = p.chart().getStyler().getChartTitleFont();
        double fullWidth = font.getStringBounds(full, new java.awt.font.FontRenderContext(null, true, true)).getWidth();
        assertTrue(fullWidth > p.chart().getWidth(), "the test needs a title wider than the chart: " + fullWidth);

        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.png()));
        // the title band (top 30 px): its outer columns stay white, so no letter is cut at an edge
        for (int y = 0; y < 30; y++) {
            for (int x : new int[] {0, 1, 2, img.getWidth() - 3, img.getWidth() - 2, img.getWidth() - 1}) {
                assertEquals(0xFFFFFF, img.getRGB(x, y) & 0xFFFFFF, "title pixel at the edge, x=" + x + " y=" + y);
            }
        }
        assertTrue(p.title().contains("…"), p.title());
        assertTrue(gpupoor.view.ChartImage.legendWidth(p.chart()) <= gpupoor.view.ChartImage.LEGEND_SHARE * p.chart().getWidth());
        assertTrue(r.table().name().contains(device), r.table().name());
        assertTrue(r.toHtml().contains("flex-wrap:wrap"), "chart and table side by side when there is room");
    }
}
