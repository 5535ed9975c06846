package gpupoor.catalog;

import gpupoor.args.ScenarioArgs;
import gpupoor.calc.Estimate;
import gpupoor.calc.Methods;
import gpupoor.calc.Scenario;
import gpupoor.calc.SeedFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bands table, its classes and what it says about an estimate. */
class ErrorBandsTest {

    private static final BandClass DECODE_GDDR_1 = new BandClass("decode_tok_s", "llama.cpp", "gpu-gddr", "1");
    private static final BandClass DECODE_LLAMA = new BandClass("decode_tok_s", "llama.cpp", "*", "*");
    private static final BandClass DECODE_ANY = new BandClass("decode_tok_s", "*", "*", "*");

    private static ErrorBand own(BandClass c, double p10, double p90) {
        return new ErrorBand("default", c, ErrorBand.Basis.OWN, 20, 3, c, 20, 3, p10, p90, 0.05);
    }

    private static ErrorBands table() {
        return new ErrorBands(List.of(
                new ErrorBand("default", DECODE_ANY, ErrorBand.Basis.DEFAULT, 0, 0, null, 0, 0, -0.5, 1.0, Double.NaN),
                own(DECODE_ANY, -0.2, 0.3),
                own(DECODE_LLAMA, -0.1, 0.2),
                new ErrorBand("default", DECODE_GDDR_1, ErrorBand.Basis.MERGED, 4, 1, DECODE_LLAMA, 20, 3, -0.1, 0.2, 0.05)));
    }

    private static Scenario scenario(String... args) {
        return ScenarioArgs.parse(List.of(args)).builder(Catalog.get()).build();
    }

    @Test
    void aPredictionPutsTheMeasuredValueBetweenPOver1PlusP90AndPOver1PlusP10() {
        ErrorBand b = own(DECODE_ANY, -0.2, 0.25);
        assertEquals(80, b.low(100), 1e-9);
        assertEquals(125, b.high(100), 1e-9);
        // measured m is inside [low, high] exactly when its error (p - m) / m lies in [p10, p90]
        for (double m = 50; m <= 150; m += 0.5) {
            double error = (100 - m) / m;
            boolean inBand = error >= -0.2 - 1e-12 && error <= 0.25 + 1e-12;
            assertEquals(inBand, b.low(100) <= m + 1e-9 && m - 1e-9 <= b.high(100), "measured " + m);
        }
        assertThrows(IllegalArgumentException.class, () -> own(DECODE_ANY, 0.2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> own(DECODE_ANY, -1, 0.1));
    }

    @Test
    void aClassIsLookedUpAsItIsElseTheMetricsWideDefaultAnswersForIt() {
        ErrorBands t = table();
        assertEquals(ErrorBand.Basis.OWN, t.band("default", DECODE_LLAMA).basis());
        ErrorBand merged = t.band("default", DECODE_GDDR_1);
        assertEquals(DECODE_LLAMA, merged.from());
        assertTrue(merged.note().contains("has 4 measured rows: the band is that of decode_tok_s · llama.cpp (20 rows, 3 sources)"),
                merged.note());
        BandClass unmeasured = new BandClass("decode_tok_s", "vllm", "gpu-hbm", "2+");
        ErrorBand d = t.band("default", unmeasured);
        assertTrue(d.isDefault());
        assertEquals(unmeasured, d.cls());
        assertEquals(-0.5, d.p10());
        assertEquals("no bundled measurement of decode_tok_s · vllm · gpu-hbm · 2+ devices: a wide default band, "
                + "the measured value between 0.5 and 2 times the estimate", d.note());
        assertNull(t.band("gpu-poor", DECODE_LLAMA), "a method the table lacks");
        assertNull(t.band("default", new BandClass("mem_weights", "hf", "*", "*")), "a metric the table lacks");
        assertThrows(IllegalArgumentException.class, () -> new ErrorBands(List.of(own(DECODE_ANY, 0, 0), own(DECODE_ANY, 0, 0))));
    }

    @Test
    void theCsvReadsBackAsWritten() {
        ErrorBands t = table();
        String csv = t.toCsv();
        assertTrue(csv.startsWith(String.join(",", ErrorBands.COLUMNS) + "\n"), csv);
        assertTrue(csv.contains("\ndefault,decode_tok_s,llama.cpp,gpu-gddr,1,4,1,merged,llama.cpp,*,*,20,3,-10.00,20.00,5.00\n"), csv);
        ErrorBands back = ErrorBands.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t");
        assertEquals(csv, back.toCsv());
        String broken = csv.replace(",merged,", ",borrowed,");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ErrorBands.read(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), "t.csv"));
        assertTrue(e.getMessage().startsWith("t.csv line 5: basis 'borrowed'"), e.getMessage());
    }

    @Test
    void aScenariosClassIsItsRuntimeDeviceClassAndDeviceCount() {
        Scenario gguf4090 = scenario("--model=meta-llama/Llama-2-7b-hf", "--quant=gguf-Q4_K_M", "--gpu=rtx-4090");
        assertEquals(new BandClass("decode_tok_s", "llama.cpp", "gpu-gddr", "1"), BandClass.of("decode_tok_s", false, gguf4090));
        assertEquals(new BandClass("mem_inference", "llama.cpp", "*", "*"), BandClass.of("mem_inference", true, gguf4090),
                "memory classes are the runtime's");
        assertEquals(new BandClass("decode_tok_s", "hf", "gpu-hbm", "2+"), BandClass.of("decode_tok_s", false,
                scenario("--model=meta-llama/Llama-2-7b-hf", "--gpu=a100-sxm4-80gb", "--gpus=2")));
        assertEquals(new BandClass("mem_inference", "hf", "*", "*"), BandClass.of("mem_inference", true,
                scenario("--model=meta-llama/Llama-2-7b-hf")));
        assertEquals("apple-cpu", BandClass.of("decode_tok_s", false, scenario("--model=meta-llama/Llama-2-7b-hf",
                "--quant=gguf-Q4_0", "--device=m2-ultra-76c-192gb", "--gpu-layers=0")).device());
        assertEquals(List.of(DECODE_GDDR_1, new BandClass("decode_tok_s", "llama.cpp", "gpu-gddr", "*"), DECODE_LLAMA,
                DECODE_ANY), DECODE_GDDR_1.chain());
    }

    @Test
    void timesGetTheReciprocalRangeOfTheRateMeasuredForThem() {
        ErrorBand b = own(DECODE_ANY, -0.2, 0.25);
        Uncertainty.Range tokens = Uncertainty.Range.of(Uncertainty.Figure.TOKENS_PER_SECOND, 50, b);
        Uncertainty.Range ms = Uncertainty.Range.of(Uncertainty.Figure.MS_PER_TOKEN, 20, b);
        assertEquals(1000 / tokens.high(), ms.low(), 1e-9);
        assertEquals(1000 / tokens.low(), ms.high(), 1e-9);
        assertEquals(2 * tokens.high(), tokens.times(2).high(), 1e-9);
    }

    @Test
    void theVerdictIsMayNotFitWhenTheMemoryLiesInsideTheBand() {
        ErrorBand b = own(DECODE_ANY, -0.1, 0.25); // needed 100 puts the real need in [80, 111.1]
        assertEquals(Uncertainty.Verdict.FITS, Uncertainty.verdict(true, 100, 112, b));
        assertEquals(Uncertainty.Verdict.MAY_NOT_FIT, Uncertainty.verdict(true, 100, 105, b));
        assertEquals(Uncertainty.Verdict.MAY_NOT_FIT, Uncertainty.verdict(false, 100, 90, b));
        assertEquals(Uncertainty.Verdict.DOES_NOT_FIT, Uncertainty.verdict(false, 100, 79, b));
        assertEquals(Uncertainty.Verdict.FITS, Uncertainty.verdict(true, 100, 100, null));
        assertEquals(Uncertainty.Verdict.DOES_NOT_FIT, Uncertainty.verdict(false, 100, 99, null));
        // a band wholly above the estimate (an under-predicting class): fitting as estimated is not enough
        ErrorBand under = own(DECODE_ANY, -0.3, -0.1);
        assertEquals(Uncertainty.Verdict.MAY_NOT_FIT, Uncertainty.verdict(true, 100, 101, under));
        // a band wholly below it: not fitting as estimated is not the last word
        ErrorBand over = own(DECODE_ANY, 0.1, 0.3);
        assertEquals(Uncertainty.Verdict.MAY_NOT_FIT, Uncertainty.verdict(false, 100, 95, over));
    }

    @Test
    void everyFigureOfBothMethodsEstimatesHasABundledRangeUnderItsSeedKey() {
        for (String calc : List.of("default", "gpu-poor")) {
            Scenario inference = scenario("--model=meta-llama/Llama-2-7b-hf", "--quant=gguf-Q4_K_M", "--gpu=rtx-4090",
                    "--calc=" + calc);
            Scenario training = scenario("--model=meta-llama/Llama-2-7b-hf", "--mode=training", "--method=qlora",
                    "--gpu=rtx-4090", "--calc=" + calc);
            for (Scenario s : List.of(inference, training)) {
                Estimate e = Methods.parse(calc).estimate(s);
                Uncertainty u = Uncertainty.of(s, e);
                Map<String, Object> seed = SeedFormat.of(e);
                for (Uncertainty.Figure f : Uncertainty.Figure.values()) {
                    Uncertainty.Range r = u.range(f);
                    assertEquals(f.value(e) != null, r != null, calc + " " + f);
                    if (r != null) {
                        assertTrue(((Map<?, ?>) seed.get(f.part())).containsKey(f.key()), f.key());
                        assertTrue(r.low() > 0 && r.low() <= r.high(), calc + " " + f + " " + r);
                        assertEquals(f.metric(s.workload().isTraining()), r.band().cls().metric());
                    }
                }
            }
        }
        assertNotNull(ErrorBands.bundled().band("default", new BandClass("mem_inference", "no-such-runtime", "*", "*")));
    }
}
