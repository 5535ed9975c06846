package gpupoor.validate;

import gpupoor.calc.Budget;
import gpupoor.calc.Estimate;
import gpupoor.calc.Fit;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Methods;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Method;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.TrainMethod;
import gpupoor.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness on a hand-made file with a method whose answers are known (see {@link FixedMethod}). */
class ValidatorTest {
    private static final double EPS = 1e-9;

    static MeasuredData resource(String name) {
        try {
            return MeasuredData.read(Path.of(ValidatorTest.class.getResource("/validate/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RowResult row(ValidationRun run, String id) {
        return run.results().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static void assertOk(ValidationRun run, String id, double predicted, Double errorPct) {
        RowResult r = row(run, id);
        assertEquals(Status.OK, r.status(), () -> id + ": " + r.reason());
        assertEquals(predicted, r.predicted(), EPS, id);
        if (errorPct == null) {
            assertNull(r.errorPct(), id);
        } else {
            assertEquals(errorPct, r.errorPct(), EPS, id);
        }
    }

    @Test
    void everyMetricIsMappedFromTheEstimate() {
        ValidationRun run = Validator.run(new FixedMethod(), resource("known.csv"));
        assertEquals(18, run.results().size());
        assertOk(run, "1", 1000, 25.0);
        assertOk(run, "2", 1000, -20.0);
        assertOk(run, "3", 1000, 0.0);
        assertOk(run, "4", 1000, 100.0);
        // per device: (1000 + 10 x 512) MiB over 2 devices
        assertOk(run, "5", 3060, 25.0);
        assertOk(run, "6", 50, 25.0);
        // throughput = 50 tok/s x batch 4
        assertOk(run, "7", 200, -20.0);
        // prefill: 512 tokens in 0.5 s
        assertOk(run, "8", 1024, 0.0);
        assertOk(run, "9", 500, 25.0);
        assertOk(run, "10", 200, -20.0);
        // batch 2 x 512 tokens per 200 ms
        assertOk(run, "11", 5120, 0.0);
        // 100 iterations x 200 ms
        assertOk(run, "12", 20000, 25.0);
        assertOk(run, "13", 1, null);
        assertOk(run, "14", 1, null);
        // 1000 + 10 x 2357 = 24570 <= 24 GiB = 24576 MiB < 1000 + 10 x 2358
        assertOk(run, "15", 2357, 0.0);
        assertTrue(row(run, "13").classifiedRight());
        assertTrue(!row(run, "14").classifiedRight());
    }

    @Test
    void rowsThatCannotBePredictedSayWhy() {
        ValidationRun run = Validator.run(new FixedMethod(), resource("known.csv"));
        RowResult excluded = row(run, "16");
        assertEquals(Status.EXCLUDED, excluded.status());
        assertEquals("made-up reason", excluded.reason());
        RowResult noModel = row(run, "17");
        assertEquals(Status.UNSUPPORTED, noModel.status());
        assertTrue(noModel.reason().contains("row 18 (id 17), column model_id") && noModel.reason().contains("LLaMA-7B (v1)"),
                noModel.reason());
        RowResult other = row(run, "18");
        assertEquals(Status.UNSUPPORTED, other.status());
        assertTrue(other.reason().contains("column framework_id: other is not modelled"), other.reason());
    }

    @Test
    void summaryStatisticsOfKnownErrors() {
        ValidationRun run = Validator.run(new FixedMethod(), resource("known.csv"));
        SummaryRow mem = run.summary(Dimension.METRIC).stream()
                .filter(s -> s.group().get(Dimension.METRIC).equals("mem_inference")).findFirst().orElseThrow();
        // |errors| 0, 20, 25, 100: median (20 + 25) / 2; p90 at rank 2.7: 25 + 0.7 x 75; bias (25 - 20 + 0 + 100) / 4
        assertEquals(4, mem.rows());
        assertEquals(4, mem.predicted());
        assertEquals(22.5, mem.medianAbsErrorPct(), EPS);
        assertEquals(77.5, mem.p90AbsErrorPct(), EPS);
        assertEquals(26.25, mem.biasPct(), EPS);
        assertNull(mem.fitsRight());

        SummaryRow all = run.summary().get(0);
        assertEquals(Map.of(), all.group());
        assertEquals(18, all.rows());
        assertEquals(15, all.predicted());
        assertEquals(1, all.excluded());
        assertEquals(2, all.unsupported());
        assertEquals(0, all.invalid());
        // 13 value rows, |errors| 0 x4, 20 x3, 25 x5, 100: median the 7th = 20, p90 at rank 10.8 = 25
        assertEquals(20, all.medianAbsErrorPct(), EPS);
        assertEquals(25, all.p90AbsErrorPct(), EPS);
        assertEquals(165.0 / 13, all.biasPct(), EPS);
        assertEquals(0.5, all.fitsRight(), EPS);

        SummaryRow fits = run.summary(Dimension.METRIC).stream()
                .filter(s -> s.group().get(Dimension.METRIC).equals("fits_in_memory")).findFirst().orElseThrow();
        assertEquals(0.5, fits.fitsRight(), EPS);
        assertNull(fits.medianAbsErrorPct());
    }

    @Test
    void summaryGroupsBySourceAndFramework() {
        ValidationRun run = Validator.run(new FixedMethod(), resource("known.csv"));
        List<SummaryRow> bySource = run.summary(Dimension.SOURCE);
        assertEquals(List.of("https://example.org/a", "https://example.org/b", "https://example.org/c",
                "https://example.org/d"), bySource.stream().map(s -> s.group().get(Dimension.SOURCE)).toList());
        assertEquals(5, bySource.get(0).rows());
        List<SummaryRow> byMetricFramework = run.summary(Dimension.METRIC, Dimension.FRAMEWORK);
        assertEquals("mem_inference", byMetricFramework.get(0).group().get(Dimension.METRIC));
        assertEquals("hf", byMetricFramework.get(0).group().get(Dimension.FRAMEWORK));
        assertEquals(3, byMetricFramework.get(0).rows());
        assertEquals("llama.cpp", byMetricFramework.get(1).group().get(Dimension.FRAMEWORK));
    }

    @Test
    void percentilesInterpolateBetweenRanks() {
        assertEquals(2.5, ErrorStats.percentile(List.of(4.0, 1.0, 3.0, 2.0), 0.5), EPS);
        assertEquals(3.7, ErrorStats.percentile(List.of(4.0, 1.0, 3.0, 2.0), 0.9), EPS);
        assertEquals(7.0, ErrorStats.percentile(List.of(7.0), 0.9), EPS);
        assertNull(ErrorStats.percentile(List.of(), 0.5));
        assertNull(ErrorStats.mean(List.of()));
    }

    @Test
    void scenariosReachTheMethodAsTheRowsDescribe() {
        FixedMethod method = new FixedMethod();
        Validator.run(method, resource("known.csv"));
        Scenario training = method.seen.stream().filter(s -> s.deviceCount() == 2).findFirst().orElseThrow();
        assertEquals(TrainMethod.LORA, training.workload().method());
        assertEquals(512, training.workload().promptTokens());
        assertEquals("litgpt", training.framework().id());
    }

    /** A method that rejects GGUF F16 and every device, as the original does for devices it lacks. */
    private static final class Picky implements Method {
        private final FixedMethod inner = new FixedMethod();

        @Override
        public String id() {
            return "picky";
        }

        @Override
        public Estimate estimate(Scenario s) {
            if (s.quant() == Quant.GGUF_F16) {
                throw new InvalidScenarioException("no gguf-F16 here");
            }
            if (s.device() != null) {
                throw new InvalidScenarioException("unknown device " + s.device().id());
            }
            return inner.estimate(s);
        }
    }

    @Test
    void equivalentScenariosAreTriedAndNoted() {
        MeasuredData bundled = MeasuredData.bundled();
        MeasuredData data = MeasuredData.of(bundled.name(), bundled.rows().stream()
                .filter(m -> m.id().equals("1049") || m.id().equals("1"))
                .map(Measurement::cells).toList());
        ValidationRun run = Validator.run(new Picky(), data);
        RowResult memory = row(run, "1049");
        assertEquals(Status.OK, memory.status(), memory.reason());
        assertEquals(1000, memory.predicted(), EPS);
        assertTrue(memory.reason().contains("gguf-F16 estimated as unquantized 16-bit weights"), memory.reason());
        RowResult speed = row(run, "1");
        assertEquals(Status.UNSUPPORTED, speed.status());
        assertEquals("picky: unknown device rtx-3070", speed.reason());
    }

    /**
     * {@link FixedMethod} with a runtime memory rule: 900 MiB usable of the 24 GiB card for inference
     * (so its 1000 MiB does not fit although the total is under the card's memory) and 20,000 MiB
     * for training.
     */
    private static final class Budgeted implements Method {
        private final FixedMethod inner = new FixedMethod();

        @Override
        public String id() {
            return "budgeted";
        }

        @Override
        public Estimate estimate(Scenario s) {
            Estimate e = inner.estimate(s);
            if (s.device() == null) {
                return e;
            }
            double usable = s.workload().isTraining() ? 20_000 : 900;
            double required = e.memory().totalMiB();
            Budget b = new Budget(usable, required, required <= usable, null, null, 0, "made-up rule");
            return new Estimate(id(), e.memory(), e.speed(), e.training(), null, e.notes(), e.assumptions(), b);
        }
    }

    @Test
    void fitsFollowTheRuntimesMemoryRuleWhereTheMethodGivesOne() {
        ValidationRun run = Validator.run(new Budgeted(), resource("known.csv"));
        // 1000 MiB <= 24 GiB, but the rule allows 900 MiB
        assertOk(run, "13", 0, null);
        assertOk(run, "14", 0, null);
        // 1000 + 10 x 1900 = 20000 <= 20000 < 1000 + 10 x 1901
        assertOk(run, "15", 1900, 100.0 * (1900 - 2357) / 2357);
    }

    @Test
    void longestTrainingSequenceIsTheEnginesSearch() {
        MeasuredData data = resource("known.csv").filter(m -> m.id().equals("15"));
        RowScenario rs = RowScenario.of(data.rows().get(0), Catalog.get());
        Fit.Result<Integer> engine = Fit.of(Methods.DEFAULT).maxSequence(rs.scenario());
        assertTrue(engine.found() && engine.value() > 1, engine.toString());
        assertOk(Validator.run(Methods.DEFAULT, data), "15", engine.value(), 100.0 * (engine.value() - 2357) / 2357);
        // a method whose memory never grows fits up to the engine's ceiling
        Method flat = new Method() {
            @Override
            public String id() {
                return "flat";
            }

            @Override
            public Estimate estimate(Scenario s) {
                return new Estimate(id(), new MemoryBreakdown(1000, 0, 400, 0, 0, 0), null, null, null, List.of(), List.of());
            }
        };
        assertEquals(Fit.MAX_TOKENS, row(Validator.run(flat, data), "15").predicted(), EPS);
    }

    @Test
    void anAttemptWithoutTheDeviceIsJudgedAgainstTheRowsDevice() {
        ValidationRun run = Validator.run(new Picky(), resource("known.csv"));
        assertOk(run, "13", 1, null);
        assertOk(run, "15", 2357, 0.0);
        assertTrue(row(run, "15").reason().contains("memory estimated without the device"), row(run, "15").reason());
    }

    @Test
    void aMissingPartOfTheEstimateIsUnsupportedWithTheMethodsNotes() {
        Method silent = new Method() {
            @Override
            public String id() {
                return "silent";
            }

            @Override
            public Estimate estimate(Scenario s) {
                return new Estimate(id(), null, null, null, null, List.of("speed: not today"), List.of());
            }
        };
        ValidationRun run = Validator.run(silent, resource("known.csv"));
        RowResult r = row(run, "6");
        assertEquals(Status.UNSUPPORTED, r.status());
        assertEquals("silent: no speed estimate (speed: not today)", r.reason());
        assertEquals(40, r.measured(), EPS);
    }

    @Test
    void aBrokenMethodFailsEachRowLoudlyAndTheRunGoesOn() {
        Method broken = new Method() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public Estimate estimate(Scenario s) {
                throw new ArithmeticException("/ by zero");
            }
        };
        ValidationRun run = Validator.run(broken, resource("known.csv"));
        assertEquals(18, run.results().size());
        RowResult first = run.results().get(0);
        assertEquals(Status.INVALID, first.status());
        assertTrue(first.reason().startsWith("row 2 (id 1): the broken method failed on this row (a bug"), first.reason());
        assertEquals(Status.EXCLUDED, row(run, "16").status(), "rows the method is not asked about keep their status");
    }
}
