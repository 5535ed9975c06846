package gpupoor.dsl;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.Methods;
import gpupoor.validate.FixedMethod;
import gpupoor.validate.ValidationRun;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notebook side of validation: tables, plots and the report's renderings. */
class ValidationReportTest {
    private static final FixedMethod FIXED = new FixedMethod();

    private static Path known() {
        try {
            return Path.of(ValidationReportTest.class.getResource("/validate/known.csv").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rowsTablePutsMethodsSideBySide() {
        ValidationReport report = Validation.validate(known(), FIXED, Methods.GPU_POOR);
        Table rows = report.rows();
        assertEquals(18, rows.rowCount());
        assertEquals(List.of("id", "source", "metric", "model", "hardware", "n_devices", "framework", "backend", "quant",
                "measured", "fixed predicted", "fixed error %", "fixed status", "fixed reason", "gpu-poor predicted",
                "gpu-poor error %", "gpu-poor status", "gpu-poor reason"), rows.columnNames());
        assertEquals(1000.0, rows.doubleColumn("fixed predicted").get(0));
        assertEquals(25.0, rows.doubleColumn("fixed error %").get(0));
        assertEquals("(LLaMA-7B (v1))", rows.stringColumn("model").get(16));
    }

    @Test
    void summaryTablesGroupAsAsked() {
        ValidationReport report = Validation.validate(known().toString(), FIXED, Methods.GPU_POOR);
        Table summary = report.summary();
        assertEquals("mem_inference", summary.stringColumn("metric").get(0));
        assertEquals(List.of("fixed", "gpu-poor"), List.of(summary.stringColumn("method").get(0),
                summary.stringColumn("method").get(1)));
        assertEquals(22.5, summary.doubleColumn("median |err| %").get(0));
        Table bySource = report.summary("metric", "SOURCE");
        assertTrue(bySource.columnNames().containsAll(List.of("metric", "source", "method")));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> report.summary("sourc"));
        assertTrue(e.getMessage().contains("did you mean: source"), e.getMessage());
        InvalidScenarioException m = assertThrows(InvalidScenarioException.class, () -> report.scatter(Methods.DEFAULT));
        assertTrue(m.getMessage().contains("it has: fixed, gpu-poor"), m.getMessage());
    }

    @Test
    void scatterHasTheDiagonalAndAColourPerFramework() {
        XYChart chart = Validation.validate(known(), FIXED).scatter(FIXED);
        assertTrue(chart.getStyler().isXAxisLogarithmic() && chart.getStyler().isYAxisLogarithmic());
        // value rows predicted: hf ids 1, 2, 3, 7, 9, 10, 12, 15; llama.cpp 4, 6, 8; litgpt 5; torchtune 11
        assertEquals(List.of("y = x", "hf (8)", "litgpt (1)", "llama.cpp (3)", "torchtune (1)"),
                List.copyOf(chart.getSeriesMap().keySet()));
        XYChart decode = Validation.validate(known(), FIXED).scatter(FIXED, "decode_tok_s");
        assertEquals(List.of("y = x", "llama.cpp (1)"), List.copyOf(decode.getSeriesMap().keySet()));
    }

    @Test
    void errorDistributionBucketsPerMetric() {
        CategoryChart chart = Validation.validate(known(), FIXED).errors(FIXED);
        // ten value metrics are predicted; mem_inference errors +25, -20, 0, +100: a quarter in each of 4 buckets
        assertEquals(10, chart.getSeriesMap().size(), chart.getSeriesMap().keySet().toString());
        List<Double> shares = chart.getSeriesMap().get("mem_inference (4)").getYData().stream()
                .map(Number::doubleValue).toList();
        assertEquals(List.of(0.0, 0.0, 25.0, 25.0, 25.0, 0.0, 25.0, 0.0), shares);
        assertEquals(1, ValidationCharts.bucket(-50));
        assertEquals(0, ValidationCharts.bucket(-50.01));
        assertEquals(3, ValidationCharts.bucket(-10));
        assertEquals(3, ValidationCharts.bucket(10));
        assertEquals(4, ValidationCharts.bucket(10.01));
        assertEquals(6, ValidationCharts.bucket(100));
        assertEquals(7, ValidationCharts.bucket(100.5));
    }

    @Test
    void coverageCountsTheRowsInsideTheirHeldOutBands() {
        ValidationReport report = Validation.validate(known(), Methods.GPU_POOR);
        Table coverage = report.coverage();
        assertEquals(List.of("method", "metric", "rows", "inside band", "inside %", "default band", "median half-width %",
                "median |err| %"), coverage.columnNames());
        ValidationRun run = report.run(Methods.GPU_POOR);
        for (int i = 0; i < coverage.rowCount(); i++) {
            String metric = coverage.stringColumn("metric").get(i);
            long predicted = run.results().stream().filter(r -> r.isOk() && r.metricId().equals(metric)).count();
            assertEquals(predicted, (long) coverage.intColumn("rows").getInt(i), metric);
            assertTrue(coverage.intColumn("inside band").get(i) <= predicted, metric);
            assertEquals(100.0 * coverage.intColumn("inside band").get(i) / predicted, coverage.doubleColumn("inside %").get(i),
                    1e-9, metric);
        }
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> Validation.validate(known(), FIXED).coverage());
        assertTrue(e.getMessage().startsWith("no error bands for method 'fixed'"), e.getMessage());
    }

    @Test
    void rangesDrawEachRowsRangeGreenInsideRedOutside() {
        ValidationReport report = Validation.validate(Methods.DEFAULT);
        XYChart chart = report.ranges(Methods.DEFAULT, "decode_tok_s");
        List<String> names = List.copyOf(chart.getSeriesMap().keySet());
        Table coverage = report.coverage();
        int row = coverage.stringColumn("metric").indexOf("decode_tok_s");
        int inside = coverage.intColumn("inside band").get(row);
        int rows = coverage.intColumn("rows").get(row);
        assertTrue(inside > 0, "some decode rows lie inside their band");
        List<String> expected = new ArrayList<>(List.of("y = x", "inside the band (" + inside + ")"));
        if (rows > inside) {
            expected.add("outside (" + (rows - inside) + ")");
        }
        expected.add("predicted");
        assertEquals(expected, names, "an empty series is left out");
        assertEquals(3 * inside, chart.getSeriesMap().get(names.get(1)).getXData().length, "a segment and a gap per row");
        assertEquals(rows, chart.getSeriesMap().get("predicted").getXData().length, "a dot per row");
        assertThrows(InvalidScenarioException.class, () -> report.ranges(Methods.DEFAULT, "decode"));
    }

    @Test
    void reportRendersAsHtmlWithChartsAndAsText() {
        ValidationReport report = Validation.validate(known(), FIXED, Methods.GPU_POOR);
        String html = report.toHtml();
        assertTrue(html.contains("<table") && html.contains("<th>median |err| %</th>"));
        assertEquals(4, html.split("data:image/png;base64,", -1).length - 1);
        String text = report.toText();
        assertTrue(text.startsWith("method fixed on "), text);
        assertTrue(text.contains("method gpu-poor on "), text);
        assertEquals(text, report.toString());
        assertEquals(4, report.charts().size());
    }
}
