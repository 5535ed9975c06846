package gpupoor.validate;

import gpupoor.calc.Methods;
import gpupoor.catalog.BandClass;
import gpupoor.catalog.ErrorBand;
import gpupoor.catalog.ErrorBands;
import gpupoor.catalog.Uncertainty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bands from residuals: percentiles, merging into parents, the wide default, and leaving a source out. */
class BandFitTest {

    private static final BandClass GDDR = new BandClass("decode_tok_s", "hf", "gpu-gddr", "1");
    private static final BandClass HBM = new BandClass("decode_tok_s", "hf", "gpu-hbm", "1");
    private static final BandClass HF = new BandClass("decode_tok_s", "hf", "*", "*");
    private static final BandClass MEMORY = new BandClass("mem_inference", "hf", "*", "*");

    /**
     * Rows {@link FixedMethod} predicts (50 tokens/s, 1000 MiB) with chosen errors: measured = predicted / (1 + error).
     * Source a: 10 decode rows on an RTX 4090, +1% … +10%; source b: 5 such rows, −1% … −5%; source c: 3 decode rows
     * on an A100 (HBM), +20%, +30%, +40%; source d: 2 memory rows, 0% and +10%.
     */
    private static ValidationRun run() {
        List<Map<String, String>> cells = new ArrayList<>();
        for (int k = 1; k <= 10; k++) {
            cells.add(row(cells.size(), "https://a.example/t (table 1)", "rtx-4090", "decode_tok_s", 50 / (1 + 0.01 * k)));
        }
        for (int k = 1; k <= 5; k++) {
            cells.add(row(cells.size(), "https://b.example/r (run 2) as quoted elsewhere", "rtx-4090", "decode_tok_s",
                    50 / (1 - 0.01 * k)));
        }
        for (double e : new double[] {0.2, 0.3, 0.4}) {
            cells.add(row(cells.size(), "https://c.example/", "a100-sxm4-80gb", "decode_tok_s", 50 / (1 + e)));
        }
        cells.add(row(cells.size(), "https://d.example/ (x)", "rtx-4090", "mem_inference", 1000));
        cells.add(row(cells.size(), "https://d.example/ (x)", "rtx-4090", "mem_inference", 1000 / 1.1));
        return Validator.run(new FixedMethod(), MeasuredData.of("made-up", cells));
    }

    private static Map<String, String> row(int i, String source, String hardware, String metric, double value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", Integer.toString(i + 1));
        m.put("source", source);
        m.put("model_id", "meta-llama/Llama-2-7b-hf");
        m.put("hardware_id", hardware);
        m.put("n_devices", "1");
        m.put("backend", "gpu");
        m.put("framework_id", "hf");
        m.put("quant_id", "fp16");
        m.put("train_method", "");
        m.put("batch", "1");
        m.put("prompt_len", "512");
        m.put("gen_len", "512");
        m.put("context_len", "1024");
        m.put("metric", metric);
        m.put("value_norm", Double.toString(value));
        m.put("unit_norm", metric.equals("decode_tok_s") ? "tok/s" : "MiB");
        m.put("exclude", "0");
        return m;
    }

    private static Map<BandClass, ErrorBand> byClass(List<ErrorBand> bands) {
        Map<BandClass, ErrorBand> out = new HashMap<>();
        bands.stream().filter(b -> b.rows() > 0).forEach(b -> out.put(b.cls(), b));
        return out;
    }

    @Test
    void aSourceIsTheUrlAndItsFirstLocator() {
        List<BandFit.Residual> r = BandFit.residuals(run());
        assertEquals(20, r.size());
        assertEquals("https://a.example/t (table 1)", r.get(0).source());
        assertEquals("https://b.example/r (run 2)", r.get(10).source());
        assertEquals("https://c.example/", r.get(15).source());
        assertEquals(GDDR, r.get(0).cls());
        assertEquals(0.01, r.get(0).error(), 1e-9);
    }

    @Test
    void aClassWithEnoughRowsFromTwoSourcesHasTheP10AndP90OfItsErrors() {
        Map<BandClass, ErrorBand> bands = byClass(BandFit.fit("fixed", BandFit.residuals(run())));
        ErrorBand gddr = bands.get(GDDR);
        assertEquals(ErrorBand.Basis.OWN, gddr.basis());
        assertEquals(15, gddr.rows());
        assertEquals(2, gddr.sources());
        // errors −5 … −1, +1 … +10 (%): p10 at rank 1.4 = −4 + 0.4, p90 at rank 12.6 = 8 + 0.6 (linear interpolation)
        assertEquals(-0.036, gddr.p10(), 1e-9);
        assertEquals(0.086, gddr.p90(), 1e-9);
        // |errors| 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6 … 10: the 8th of 15
        assertEquals(0.04, gddr.medianAbsError(), 1e-9);
    }

    @Test
    void aClassWithFewRowsTakesItsFirstParentWithEnough() {
        Map<BandClass, ErrorBand> bands = byClass(BandFit.fit("fixed", BandFit.residuals(run())));
        ErrorBand hbm = bands.get(HBM);
        assertEquals(ErrorBand.Basis.MERGED, hbm.basis());
        assertEquals(3, hbm.rows());
        assertEquals(HF, hbm.from());
        assertEquals(18, hbm.bandRows());
        assertEquals(3, hbm.bandSources());
        // the 18 errors of the runtime's class: p10 at rank 1.7 = −4 + 0.7, p90 at rank 15.3 = 20 + 0.3 × 10 (%)
        assertEquals(-0.033, hbm.p10(), 1e-9);
        assertEquals(0.23, hbm.p90(), 1e-9);
    }

    @Test
    void aClassWithTooFewRowsAllTheWayUpGetsTheWideDefaultAndEveryMetricHasOne() {
        List<ErrorBand> all = BandFit.fit("fixed", BandFit.residuals(run()));
        ErrorBand memory = byClass(all).get(MEMORY);
        assertEquals(ErrorBand.Basis.DEFAULT, memory.basis());
        assertEquals(2, memory.rows());
        assertEquals(1 / 1.5 - 1, memory.p10(), 1e-12);
        assertEquals(0.5, memory.p90(), 1e-12);
        ErrorBands table = new ErrorBands(all);
        ErrorBand unmeasured = table.band("fixed", new BandClass("decode_tok_s", "vllm", "gpu-hbm", "2+"));
        assertTrue(unmeasured.isDefault());
        assertEquals(-0.5, unmeasured.p10(), 1e-12);
        assertEquals(1.0, unmeasured.p90(), 1e-12);
        for (Metric m : Metric.values()) {
            ErrorBand d = table.band("fixed", new BandClass(m.id(), "nothing", "*", "*"));
            assertEquals(!m.isClassification(), d != null, m.id());
        }
    }

    @Test
    void theDefaultIsNeverNarrowerThanTheMethodsErrorsOfThatKind() {
        List<BandFit.Residual> wild = new ArrayList<>();
        ValidationRun run = run();
        for (BandFit.Residual r : BandFit.residuals(run)) {
            wild.add(new BandFit.Residual(r.result(), r.cls(), r.source(), r.result().metric().usesMemory() ? 3 * r.error() : 9));
        }
        ErrorBand d = new ErrorBands(BandFit.fit("fixed", wild)).band("fixed", new BandClass("decode_tok_s", "x", "*", "*"));
        assertEquals(9, d.p90(), 1e-12);
        assertEquals(-0.5, d.p10(), 1e-12);
    }

    @Test
    void everyFigureIsMeasuredByAMetricOfItsKind() {
        for (Uncertainty.Figure f : Uncertainty.Figure.values()) {
            for (boolean training : List.of(false, true)) {
                assertEquals(f.memory(), Metric.parse(f.metric(training)).usesMemory(), f + " " + training);
            }
        }
    }

    @Test
    void heldOutBandsLeaveTheRowsOwnSourceOut() {
        ValidationRun run = run();
        List<ErrorBand> held = BandFit.heldOut(run, run);
        assertEquals(run.results().size(), held.size());
        // a row of source a: without a, its class has 5 rows from one source, and nothing above has 10 rows
        assertTrue(held.get(0).isDefault());
        assertEquals(5, held.get(0).rows());
        // a row of source b: without b, 10 rows of one source are not enough; the runtime's class has a's and c's 13
        ErrorBand b = held.get(10);
        assertEquals(ErrorBand.Basis.MERGED, b.basis());
        assertEquals(HF, b.from());
        assertEquals(13, b.bandRows());
        List<BandFit.Coverage> coverage = BandFit.coverage(run, held);
        assertEquals(List.of("mem_inference", "decode_tok_s"), coverage.stream().map(BandFit.Coverage::metric).toList());
        int inside = 0;
        for (int i = 0; i < 18; i++) {
            inside += BandFit.inside(run.results().get(i), held.get(i)) ? 1 : 0;
        }
        assertEquals(inside, coverage.get(1).inside());
        assertEquals(18, coverage.get(1).rows());
        assertEquals(2, coverage.get(0).defaulted(), "the memory rows' only source is left out");
    }

    @Test
    void onTheBundledRowsEachHeldOutBandIsMadeOnlyOfOtherSourcesRows() {
        ValidationRun run = Validator.run(Methods.DEFAULT);
        List<ErrorBand> held = BandFit.heldOut(run, run);
        List<BandFit.Residual> all = BandFit.residuals(run);
        Map<BandClass, Set<String>> sourcesOfClass = new HashMap<>();
        all.forEach(r -> r.cls().chain().forEach(c -> sourcesOfClass.computeIfAbsent(c, k -> new HashSet<>()).add(r.source())));
        int checked = 0;
        for (int i = 0; i < run.results().size(); i++) {
            RowResult r = run.results().get(i);
            ErrorBand b = held.get(i);
            BandFit.Residual x = BandFit.residual(r);
            if (x == null) {
                assertNull(b, r.id());
                continue;
            }
            if (sourcesOfClass.get(x.cls()).equals(Set.of(x.source()))) {
                assertTrue(b.isDefault(), "row " + r.id() + ": its class has no other source's row");
            }
            if (!b.isDefault()) {
                long others = all.stream().filter(y -> !y.source().equals(x.source()) && y.cls().chain().contains(b.from()))
                        .count();
                assertEquals(others, b.bandRows(), "row " + r.id());
                checked++;
            }
        }
        assertTrue(checked > 500, "rows checked: " + checked);
    }
}
